package org.noduled.dicom.net;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.noduled.dicom.DicomException;

/**
 * dcmtk's storescp on a free loopback port, writing each received object to a file named after its SOP
 * Instance UID (so a second copy of an instance replaces the first, as at a PACS).
 */
public final class Storescp extends LoopbackReceiver {

    public static final String AE_TITLE = "STORESCP";
    private final Path dir;
    private final Path config;

    private Storescp(Path dir, Path config) {
        super(freePort(), dir.resolve("storescp.log"));
        this.dir = dir;
        this.config = config;
    }

    /** A storescp accepting every storage SOP class. */
    public static Storescp acceptingAll(Path dir) {
        return new Storescp(dir, null);
    }

    /** A storescp that accepts CT images only, as a PACS not set up for structured reports. */
    public static Storescp acceptingOnlyCt(Path dir) {
        Path config = dir.resolve("ct-only.cfg");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, String.join("\n",
                    "[[TransferSyntaxes]]",
                    "[Uncompressed]",
                    "TransferSyntax1 = LocalEndianExplicit",
                    "TransferSyntax2 = LittleEndianImplicit",
                    "[[PresentationContexts]]",
                    "[CtOnly]",
                    "PresentationContext1 = CTImageStorage\\Uncompressed",
                    "[[Profiles]]",
                    "[OnlyCt]",
                    "PresentationContexts = CtOnly", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Storescp(dir, config);
    }

    public Destination destination() {
        return destination("storescp");
    }

    public Destination destination(String name) {
        return Destination.of(name, AE_TITLE, "127.0.0.1", dicomPort);
    }

    @Override
    public ProcessBuilder command() {
        Path received = dir.resolve("received");
        try {
            Files.createDirectories(received);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new java.util.ArrayList<>(List.of("storescp", "--aetitle", AE_TITLE,
                "--output-directory", received.toString(), "--default-filenames"));
        if (config != null) {
            args.addAll(List.of("--config-file", config.toString(), "OnlyCt"));
        }
        args.add(Integer.toString(dicomPort));
        return new ProcessBuilder(args);
    }

    /**
     * SOP Instance UIDs of the objects received so far, one per distinct instance. storescp writes in place,
     * so a file it is still writing does not parse yet and is not counted; a file that never parses never
     * counts, which the tests' comparisons with the expected UIDs then catch.
     */
    public List<String> receivedSopInstanceUids() {
        try (Stream<Path> files = Files.list(dir.resolve("received"))) {
            return files.filter(Files::isRegularFile).map(Storescp::sopInstanceUid).filter(uid -> !uid.isEmpty())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sopInstanceUid(Path file) {
        try {
            AttributeList list = new AttributeList();
            list.read(file.toFile());
            return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
        } catch (IOException | com.pixelmed.dicom.DicomException e) {
            return "";
        }
    }
}
