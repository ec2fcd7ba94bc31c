package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.noduled.preprocess.CtVolume;

/**
 * Encoded series made from a native one with dcmtk (skipped where dcmtk is missing) must give exactly the
 * same volume; encodings noduled cannot decode are refused by name.
 */
class TransferSyntaxTest {

    @TempDir
    Path dir;

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** Writes a native stack into src/ and the same stack re-encoded by a dcmtk tool into enc/. */
    private Path[] nativeAndEncoded(String tool, String option, String transferSyntaxUid) throws Exception {
        assumeTrue(onPath(tool), "dcmtk's " + tool + " is not installed (apt-get install dcmtk): "
                + transferSyntaxUid + " not tested");
        Path source = Files.createDirectory(dir.resolve("src"));
        Path encoded = Files.createDirectory(dir.resolve("enc"));
        Ingest.writeStack(source, 3, -10, 2);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                List<String> command = new ArrayList<>(List.of(tool));
                if (!option.isEmpty()) {
                    command.add(option);
                }
                command.add(file.toString());
                command.add(encoded.resolve(file.getFileName()).toString());
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, tool + " failed: " + out);
            }
        }
        assertEquals(transferSyntaxUid, SliceHeaderReader.read(Files.list(encoded).findFirst().orElseThrow())
                .transferSyntaxUid());
        return new Path[] {source, encoded};
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "dcmcjpeg, '', 1.2.840.10008.1.2.4.70",
        "dcmcjpeg, +el, 1.2.840.10008.1.2.4.57",
        "dcmcrle, '', 1.2.840.10008.1.2.5",
        "dcmconv, +td, 1.2.840.10008.1.2.1.99",
        "dcmconv, +tb, 1.2.840.10008.1.2.2"})
    void assemble_losslessEncoding_givesTheSameVolumeAsUncompressed(String tool, String option, String syntax)
            throws Exception {
        Path[] folders = nativeAndEncoded(tool, option, syntax);
        CtVolume expected = Ingest.load(folders[0]).volume();
        CtVolume actual = Ingest.load(folders[1]).volume();
        assertEquals(expected.geometry(), actual.geometry());
        assertEquals(expected.sliceInstanceUids(), actual.sliceInstanceUids());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(expected.sliceHu(k), actual.sliceHu(k), "slice " + k);
        }
    }

    @Test
    void assemble_jpegLs_isRefusedNamingTheTransferSyntax() throws Exception {
        Path[] folders = nativeAndEncoded("dcmcjpls", "", "1.2.840.10008.1.2.4.80");
        String message = Ingest.refusal(folders[1]);
        assertTrue(message.contains("uses JPEG-LS Lossless (1.2.840.10008.1.2.4.80), which noduled cannot decode; "
                + "send uncompressed or JPEG Lossless"), message);
        assertTrue(message.startsWith("series 1.2.826.…"), message);
    }

    @Test
    void describe_jpeg2000_namesItWithItsUid() {
        assertEquals("JPEG 2000 (lossless only) (1.2.840.10008.1.2.4.90)",
                PixelEncoding.describe("1.2.840.10008.1.2.4.90"));
        assertEquals(PixelEncoding.UNSUPPORTED, PixelEncoding.of("1.2.840.10008.1.2.4.90"));
        assertEquals(PixelEncoding.UNSUPPORTED, PixelEncoding.of("1.2.840.10008.1.2.4.50"));
    }
}
