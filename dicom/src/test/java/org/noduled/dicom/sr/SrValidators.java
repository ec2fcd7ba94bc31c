package org.noduled.dicom.sr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.noduled.dicom.net.Orthanc;

/** Runs the validators the field trusts (dicom3tools dciodvfy, dcmtk dsrdump) and sorts their output lines. */
public final class SrValidators {

    /** What a tool printed (stdout and stderr, in order) and its exit status. */
    public record Output(int exitCode, List<String> lines) {

        /** dciodvfy reports problems as "Error - ..." lines (warnings as "Warning - ..."). */
        List<String> dciodvfyErrors() {
            return lines.stream().filter(l -> l.startsWith("Error") || l.contains(" Error - ")).toList();
        }

        /** dcmtk tools log errors as "E: ..." and fatal problems as "F: ...". */
        List<String> dcmtkErrors() {
            return lines.stream().filter(l -> l.startsWith("E:") || l.startsWith("F:")).toList();
        }

        String text() {
            return String.join("\n", lines);
        }
    }

    private SrValidators() {
    }

    public static Output dciodvfy(Path file) {
        return run("dciodvfy", file.toString());
    }

    /** dsrdump with codes and template identifiers printed; it checks content constraints by default. */
    public static Output dsrdump(Path file) {
        return run("dsrdump", "+Pc", "+Pt", file.toString());
    }

    public static void assumeInstalled(String tool) {
        assumeTrue(onPath(tool), tool + " is not installed (Debian: dicom3tools for dciodvfy, dcmtk for dsrdump,"
                + " storescp and storescu, orthanc for Orthanc); skipping");
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Output run(String... command) {
        assumeInstalled(command[0]);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish in 30 s");
            }
            List<String> lines = new ArrayList<>(new String(out, StandardCharsets.UTF_8).lines().toList());
            return new Output(process.exitValue(), lines);
        } catch (IOException e) {
            throw new AssertionError("could not run " + command[0] + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command[0], e);
        }
    }
}
