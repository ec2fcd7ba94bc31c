package org.noduled.dicom.outbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A tiny tmpfs, to fill a real filesystem: needs root (or CAP_SYS_ADMIN); tests skip without it. */
public final class Tmpfs {

    private Tmpfs() {
    }

    public static Path mount(Path at, String size) throws IOException {
        Files.createDirectories(at);
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
        assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root); the injected full-disk test covers this");
        return at;
    }

    /** Writes zeros until the filesystem refuses. */
    public static void fill(Path file) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            // full
        }
    }

    public static void unmount(Path at) {
        run("umount", at.toString());
    }

    private static int run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
