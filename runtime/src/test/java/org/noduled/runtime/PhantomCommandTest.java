package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PhantomCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    private static final String[] SMALL = {"--columns", "64", "--rows", "64", "--slices", "30",
        "--pixel-spacing", "5.6", "--slice-spacing", "10", "--threads", "2"};

    /** Runs {@code phantom} on a small grid; {@code overrides} are option-value pairs replacing the defaults. */
    private int phantom(Path dir, String... overrides) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--out", dir.toString());
        options.put("--seed", "3");
        for (int a = 0; a < SMALL.length; a += 2) {
            options.put(SMALL[a], SMALL[a + 1]);
        }
        for (int a = 0; a < overrides.length; a += 2) {
            options.put(overrides[a], overrides[a + 1]);
        }
        List<String> args = new ArrayList<>(List.of("phantom"));
        options.forEach((name, value) -> args.addAll(List.of(name, value)));
        return run(args.toArray(String[]::new));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void phantom_writesDicomFilesTruthAndStats_andExitsZero(@TempDir Path dir) throws IOException {
        assertEquals(0, phantom(dir), err.toString());
        List<String> names = names(dir);
        assertEquals(32, names.size(), names.toString());
        assertEquals(30, names.stream().filter(n -> n.endsWith(".dcm")).count());
        assertTrue(names.contains("truth.json") && names.contains("stats.json"));
        assertTrue(Files.readString(dir.resolve("truth.json")).contains("\"nodules\""));
        assertTrue(out.toString().contains("not for clinical use"), out.toString());
    }

    @Test
    void sameSeedTwice_writesByteIdenticalFiles(@TempDir Path dir) throws IOException {
        assertEquals(0, phantom(dir.resolve("a")));
        assertEquals(0, phantom(dir.resolve("b"), "--threads", "1"));
        assertEquals(names(dir.resolve("a")), names(dir.resolve("b")));
        for (String name : names(dir.resolve("a"))) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(name)),
                    Files.readAllBytes(dir.resolve("b").resolve(name)), name);
        }
    }

    @Test
    void rawFormat_writesVolumeAndHeader(@TempDir Path dir) throws IOException {
        assertEquals(0, phantom(dir, "--format", "raw"));
        assertEquals(List.of("stats.json", "truth.json", "volume.json", "volume.raw"), names(dir));
        assertEquals(64L * 64 * 30 * 2, Files.size(dir.resolve("volume.raw")));
    }

    @Test
    void rerunIntoItsOwnFolder_replacesThePreviousPhantom(@TempDir Path dir) throws IOException {
        assertEquals(0, phantom(dir));
        assertEquals(0, phantom(dir, "--format", "raw"));
        assertEquals(List.of("stats.json", "truth.json", "volume.json", "volume.raw"), names(dir));
    }

    @Test
    void badOptionValue_exitsTwoWithAOneLineReason(@TempDir Path dir) {
        assertEquals(2, phantom(dir, "--columns", "8"));
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("columns must be 16..2048, got 8"), message);
    }

    @Test
    void unknownFormat_exitsTwo(@TempDir Path dir) {
        assertEquals(2, phantom(dir, "--format", "jpeg"));
        assertTrue(err.toString().contains("jpeg"), err.toString());
    }

    @Test
    void folderWithOtherFiles_isRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        assertEquals(2, phantom(dir));
        assertTrue(err.toString().contains("notes.txt"), err.toString());
        assertEquals(List.of("notes.txt"), names(dir));
    }
}
