package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    @Test
    void inspect_folderWithoutDicom_listsTheSkippedFilesAndSucceeds() throws Exception {
        Files.writeString(dir.resolve("README.txt"), "not an image");
        assertEquals(0, run("inspect", dir.toString()));
        assertTrue(out.toString().contains("skipped " + dir.resolve("README.txt") + ": not a DICOM Part 10 file"), out.toString());
        assertTrue(out.toString().contains("0 series: 0 loaded, 0 failed; 1 file(s) skipped, 0 of them damaged"), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void inspect_damagedDicomFile_exitsOneWithAOneLineReason() throws Exception {
        byte[] bytes = new byte[600];
        new Random(3).nextBytes(bytes);
        System.arraycopy("DICM".getBytes(), 0, bytes, 128, 4);
        Files.write(dir.resolve("broken.dcm"), bytes);
        assertEquals(InspectCommand.EXIT_BAD_INPUT, run("inspect", dir.toString()));
        String[] lines = err.toString().strip().split("\n");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("noduled inspect: file broken.dcm "), lines[0]);
    }

    @Test
    void inspect_missingFolder_exitsTwoNamingIt() {
        assertEquals(Main.EXIT_FAILURE, run("inspect", dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("no such file or folder: " + dir.resolve("nowhere")), err.toString());
    }

    @Test
    void benchLoad_folderWithoutSeries_exitsTwoWithTheReason() throws Exception {
        Files.writeString(dir.resolve("README.txt"), "not an image");
        assertEquals(Main.EXIT_FAILURE, run("bench", "load", dir.toString(), "--repeat", "1", "--warmup", "0", "--no-peer"));
        assertTrue(err.toString().contains("no DICOM image files found"), err.toString());
    }
}
