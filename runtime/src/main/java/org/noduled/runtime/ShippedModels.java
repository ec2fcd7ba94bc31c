package org.noduled.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the models shipped with this installation are: the folder named by the system property
 * {@value #PROPERTY} (a launcher or service unit may set it), else the {@code models/} folder of the
 * repository this runtime was built in (found above the jar), else {@code models/} in the working directory.
 */
final class ShippedModels {

    static final String PROPERTY = "noduled.models";
    /** The card a node runs unless told otherwise: the pruned INT8 model. */
    static final String DEFAULT_CARD = "noduled-lung-2p5d-pruned-int8.card.json";
    private static final String FOLDER = "models";

    private ShippedModels() {
    }

    /**
     * The default card's path. When no models folder has it, the first place looked, so that opening it
     * fails with the engine's message naming that path.
     */
    static Path defaultCard() {
        List<Path> folders = folders();
        for (Path folder : folders) {
            if (Files.isRegularFile(folder.resolve(DEFAULT_CARD))) {
                return folder.resolve(DEFAULT_CARD);
            }
        }
        return folders.get(0).resolve(DEFAULT_CARD);
    }

    /** Every {@code *.card.json} in the first models folder that has the default card, sorted by name. */
    static List<Path> allCards() throws IOException {
        Path folder = defaultCard().getParent();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".card.json")).sorted().toList();
        }
    }

    private static List<Path> folders() {
        List<Path> folders = new ArrayList<>();
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            folders.add(Path.of(property));
        }
        installation().ifPresent(folders::add);
        folders.add(Path.of(FOLDER));
        return folders;
    }

    /** The nearest {@code models/} folder above the jar (or classes folder) this class was loaded from. */
    private static Optional<Path> installation() {
        try {
            Path here = Path.of(ShippedModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve(FOLDER).resolve("CARD-FORMAT.md"))
                        || Files.isRegularFile(dir.resolve(FOLDER).resolve(DEFAULT_CARD))) {
                    return Optional.of(dir.resolve(FOLDER));
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException | NullPointerException e) {
            // no code source (unusual class loader): fall back to the working directory
        }
        return Optional.empty();
    }
}
