package org.noduled.preprocess.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhantomExportTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PhantomExport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void seedRange_writesRawTruthAndStatsPerSeed_matchingTheGenerator(@TempDir Path dir) throws IOException {
        assertEquals(0, run("--out", dir.toString(), "--seeds", "11-12", "--columns", "64", "--rows", "48",
                "--slices", "30", "--pixel-spacing", "5.6", "--slice-spacing", "10", "--threads", "2"));
        for (long seed = 11; seed <= 12; seed++) {
            Path folder = dir.resolve(PhantomExport.folderName(seed));
            for (String name : new String[] {PhantomFiles.RAW, PhantomFiles.RAW_HEADER, PhantomFiles.TRUTH,
                PhantomFiles.STATS}) {
                assertTrue(Files.isRegularFile(folder.resolve(name)), folder.resolve(name) + " missing");
            }
            byte[] raw = Files.readAllBytes(folder.resolve(PhantomFiles.RAW));
            assertEquals(64 * 48 * 30 * 2, raw.length);
            PhantomSeries expected = Phantom.plan(PhantomSpec.defaults(seed).withGrid(64, 48, 30, 5.6, 10)).render(1);
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            int k = 17;
            int j = 20;
            int i = 33;
            assertEquals(expected.volume().hu(i, j, k), b.getShort(((k * 48 + j) * 64 + i) * 2));
            String header = Files.readString(folder.resolve(PhantomFiles.RAW_HEADER));
            assertTrue(header.contains("\"columns\": 64") && header.contains("\"slices\": 30"), header);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("seed 12"));
    }

    @Test
    void badOption_exitsTwoWithTheReason(@TempDir Path dir) {
        assertEquals(2, run("--out", dir.toString(), "--seeds", "1", "--slices", "lots"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--slices must be a whole number, got 'lots'"));
        assertEquals(2, run("--seeds", "1"));
        assertEquals(2, run("--out", dir.toString(), "--seeds", "5-2"));
    }
}
