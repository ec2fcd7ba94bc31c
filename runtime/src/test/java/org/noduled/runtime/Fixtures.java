package org.noduled.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine;

/** What the runtime tests share: the tiny test model, small phantom series, and running the command line. */
final class Fixtures {

    /** The detect module's tiny hand-set model (not trained; synthetic test fixture, not for clinical use). */
    static final String TINY_CARD = "tiny-2p5d.card.json";
    static final String TINY_ONNX = "tiny-2p5d.onnx";

    private Fixtures() {
    }

    /** Copies the tiny model and its card into {@code dir} (so a test may damage them); returns the card. */
    static Path tinyModel(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : new String[] {TINY_CARD, TINY_ONNX}) {
                try (InputStream in = Objects.requireNonNull(Fixtures.class.getResourceAsStream("/models/" + name),
                        "test resource /models/" + name + " (copied from detect/src/test/resources/models)")) {
                    Files.copy(in, dir.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(TINY_CARD);
    }

    /**
     * A small whole-chest phantom as DICOM: 128 x 128 x 60 at 2.8 x 2.8 x 2.5 mm (the default field of view,
     * coarser), {@code nodules} nodules. About 1 s.
     */
    static Path smallPhantom(Path dir, long seed, int nodules) {
        Run run = Run.of("phantom", "--out", dir.toString(), "--seed", Long.toString(seed), "--columns", "128",
                "--rows", "128", "--slices", "60", "--pixel-spacing", "2.8", "--slice-spacing", "2.5", "--nodules",
                Integer.toString(nodules), "--threads", "2");
        if (run.exit() != 0) {
            throw new IllegalStateException("phantom failed: " + run.err());
        }
        return dir;
    }

    /** One command line run with its exit status and both outputs. */
    record Run(int exit, String out, String err) {

        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine line = Main.commandLine();
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(err, true));
            int exit = line.execute(args);
            return new Run(exit, out.toString(), err.toString());
        }
    }
}
