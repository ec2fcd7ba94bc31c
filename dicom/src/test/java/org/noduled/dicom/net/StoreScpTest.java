package org.noduled.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.Ingest;
import org.noduled.dicom.series.IngestedSeries;
import org.noduled.dicom.series.TestSlice;
import org.noduled.dicom.sr.SrFixtures;
import org.noduled.dicom.sr.SrValidators;

/** The receiver against dcmtk's storescu and echoscu (real peers) and against our own SCU for statuses. */
class StoreScpTest {

    @TempDir
    Path dir;

    private final List<List<Path>> released = new CopyOnWriteArrayList<>();
    /** Files the receiver said were stored whole, each with whether it was in place, complete, when told. */
    private final Map<Path, Boolean> storedWhole = new java.util.concurrent.ConcurrentHashMap<>();
    private StoreScp scp;

    @AfterEach
    void stop() {
        if (scp != null) {
            scp.close();
        }
    }

    private StoreScp start(Path spool, Set<String> allowedCallers) throws DicomException {
        scp = StoreScp.start(new StoreScp.Settings("NODULED", InetAddress.getLoopbackAddress(), 0, spool,
                allowedCallers, 4, Duration.ofSeconds(20), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0),
                new StoreScp.Listener() {
                    @Override
                    public void released(String callingAe, List<Path> stored) {
                        released.add(stored);
                    }

                    @Override
                    public void stored(Path file) {
                        storedWhole.put(file, hasPixelData(file));
                    }
                });
        return scp;
    }

    private static boolean hasPixelData(Path file) {
        try {
            com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
            list.read(file.toFile());
            return list.get(com.pixelmed.dicom.TagFromName.PixelData) != null;
        } catch (Exception e) {
            return false; // absent or cut short
        }
    }

    @Test
    void storescuSendingASeries_storesEveryImageAsAFileThatLoadsToTheSameVolume_andReportsTheRelease()
            throws Exception {
        SrValidators.assumeInstalled("storescu");
        Path source = Files.createDirectories(dir.resolve("source"));
        Ingest.writeStack(source, 12, 0.0, 1.25);
        Path spool = dir.resolve("spool");
        start(spool, Set.of());

        assertEquals(0, dcmtk("storescu", "-aet", "SENDER", "-aec", "NODULED", "+sd", "127.0.0.1",
                String.valueOf(scp.port()), source.toString()));

        List<Path> files = dicomFiles(spool);
        assertEquals(12, files.size());
        assertEquals(1, released.size());
        assertEquals(Set.copyOf(files), Set.copyOf(released.get(0)));
        assertEquals(Set.copyOf(files), storedWhole.keySet(), "each image is reported as stored, once");
        assertTrue(storedWhole.values().stream().allMatch(Boolean::booleanValue),
                "each is whole, pixel data included, when reported");
        IngestedSeries sent = Ingest.load(source);
        IngestedSeries received = Ingest.load(spool);
        assertEquals(sent.volume().geometry(), received.volume().geometry());
        for (int k = 0; k < 12; k++) {
            assertArrayEquals(sent.volume().sliceHu(k), received.volume().sliceHu(k), "slice " + k);
        }
        try (Stream<Path> all = Files.list(spool)) {
            assertTrue(all.allMatch(p -> p.getFileName().toString().endsWith(".dcm")), "no temporary file is left");
        }
    }

    @Test
    void orthancSendingASeriesAndAnEcho_isAnsweredAndTheSeriesArrivesWhole() throws Exception {
        SrValidators.assumeInstalled("Orthanc");
        Path source = Files.createDirectories(dir.resolve("source"));
        Ingest.writeStack(source, 8, 0.0, 2.0);
        Path spool = dir.resolve("spool");
        start(spool, Set.of("ORTHANC"));
        try (Orthanc orthanc = new Orthanc(dir.resolve("orthanc"))) {
            orthanc.modalities = "\"noduled\": [\"NODULED\", \"127.0.0.1\", " + scp.port() + "]";
            orthanc.start();
            List<String> ids = new ArrayList<>();
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.sorted().toList()) {
                    ids.add(orthanc.upload(Files.readAllBytes(f)));
                }
            }
            assertEquals(200, orthanc.echo("noduled"));
            var response = orthanc.storeTo("noduled", ids);
            assertEquals(200, response.statusCode(), response.body());
        }
        assertEquals(8, dicomFiles(spool).size());
        assertEquals(Set.copyOf(dicomFiles(spool)), released.stream().flatMap(List::stream)
                .collect(java.util.stream.Collectors.toSet()));
        IngestedSeries sent = Ingest.load(source);
        IngestedSeries received = Ingest.load(spool);
        for (int k = 0; k < 8; k++) {
            assertArrayEquals(sent.volume().sliceHu(k), received.volume().sliceHu(k), "slice " + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"dcmcjpeg, +e1, -xs, 1.2.840.10008.1.2.4.70", "dcmcrle, -q, -xr, 1.2.840.10008.1.2.5"})
    void losslessCompressedImagesFromStorescu_arriveInTheirSyntax_andLoadToTheUncompressedVolume(String compressor,
            String option, String propose, String transferSyntax) throws Exception {
        SrValidators.assumeInstalled("storescu");
        SrValidators.assumeInstalled(compressor);
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Ingest.writeStack(plain, 6, 0.0, 1.5);
        Path compressed = Files.createDirectories(dir.resolve("compressed"));
        try (Stream<Path> files = Files.list(plain)) {
            for (Path f : files.toList()) {
                assertEquals(0, dcmtk(compressor, option, f.toString(), compressed.resolve(f.getFileName()).toString()));
            }
        }
        Path spool = dir.resolve("spool");
        start(spool, Set.of());

        // storescu proposes a compressed syntax only when asked (-xs JPEG Lossless SV1, -xr RLE)
        assertEquals(0, dcmtk("storescu", propose, "-aec", "NODULED", "+sd", "127.0.0.1", String.valueOf(scp.port()),
                compressed.toString()));

        for (Path f : dicomFiles(spool)) {
            assertEquals(transferSyntax, StoreScu.Part10.parse(Files.readAllBytes(f)).transferSyntaxUid(), f.toString());
        }
        IngestedSeries sent = Ingest.load(plain);
        IngestedSeries received = Ingest.load(spool);
        for (int k = 0; k < 6; k++) {
            assertArrayEquals(sent.volume().sliceHu(k), received.volume().sliceHu(k), "slice " + k);
        }
    }

    @Test
    void anInstanceSentTwice_isKeptTwice_neverOverwritingTheCopyAlreadyThere() throws Exception {
        Path spool = dir.resolve("spool");
        start(spool, Set.of());
        assertEquals(StoreResult.Outcome.STORED, sendSlice("NODULED", "SENDER").outcome());
        List<Path> first = dicomFiles(spool);
        byte[] before = Files.readAllBytes(first.get(0));
        assertEquals(StoreResult.Outcome.STORED, sendSlice("NODULED", "SENDER").outcome());
        List<Path> both = dicomFiles(spool);
        assertEquals(2, both.size(), "a resend gets a file of its own");
        assertTrue(both.containsAll(first));
        assertArrayEquals(before, Files.readAllBytes(first.get(0)), "the first copy is untouched");
        assertTrue(Ingest.refusal(spool).contains("has only 1 slice"), "the identical copy is dropped at load");
    }

    @Test
    void echoscu_isAnsweredWithSuccess() throws Exception {
        SrValidators.assumeInstalled("echoscu");
        start(dir.resolve("spool"), Set.of());
        assertEquals(0, dcmtk("echoscu", "-aec", "NODULED", "127.0.0.1", String.valueOf(scp.port())));
    }

    @Test
    void anAssociationCallingAnotherAeTitle_isRejectedAndStoresNothing() throws Exception {
        start(dir.resolve("spool"), Set.of());
        StoreResult result = sendSlice("SOMEONE", "SENDER");
        assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
        assertTrue(result.problem().contains("called AE title"), result.problem());
        assertEquals(List.of(), dicomFiles(dir.resolve("spool")));
    }

    @Test
    void aSenderOutsideTheAllowedList_isRejected() throws Exception {
        start(dir.resolve("spool"), Set.of("PACS"));
        StoreResult refused = sendSlice("NODULED", "SENDER");
        assertEquals(StoreResult.Outcome.UNREACHABLE, refused.outcome());
        assertTrue(refused.problem().contains("calling AE title"), refused.problem());
        assertEquals(StoreResult.Outcome.STORED, sendSlice("NODULED", "PACS").outcome());
    }

    @Test
    void anObjectThatIsNotACtImage_isRefusedAndNotKept() throws Exception {
        start(dir.resolve("spool"), Set.of());
        byte[] report = SrFixtures.report(1).bytes();
        StoreResult result = new StoreScu().store(Destination.of("node", "NODULED", "127.0.0.1", scp.port()), report);
        assertEquals(StoreResult.Outcome.REFUSED, result.outcome());
        assertEquals(List.of(), dicomFiles(dir.resolve("spool")));
    }

    @Test
    void anImageTheNodeCannotWrite_isAnsweredOutOfResources_soTheSenderKeepsIt() throws Exception {
        Path spool = dir.resolve("spool");
        start(spool, Set.of());
        Files.delete(spool);
        Files.writeString(spool, "a file where the folder should be"); // every write into it now fails
        StoreResult result = sendSlice("NODULED", "SENDER");
        assertEquals(StoreResult.Outcome.REFUSED, result.outcome());
        assertEquals(0xA700, result.status());
        assertEquals(List.of(), released.isEmpty() ? List.of() : released.get(0));
    }

    @Test
    void start_removesImagesACrashLeftUnanswered_andNothingElse() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Path unfinished = Files.writeString(spool.resolve(".tmp-3f2a9c-1.2.826.0.1.3680043.10.999.4.7-"
                + "00ff00ff00ff00ff.dcm"), "half");
        Path sendersOwn = Files.writeString(spool.resolve(".tmp-upload.dcm"), "a drop-folder sender's file");
        Path image = Files.writeString(spool.resolve("1.2.3.dcm"), "an answered image");
        start(spool, Set.of());
        assertTrue(Files.notExists(unfinished));
        assertTrue(Files.exists(sendersOwn) && Files.exists(image));
    }

    @Test
    void aPortInUse_failsWithWhatToChange() throws Exception {
        start(dir.resolve("spool"), Set.of());
        DicomException e = assertThrows(DicomException.class, () -> StoreScp.start(new StoreScp.Settings("NODULED",
                InetAddress.getLoopbackAddress(), scp.port(), dir.resolve("other"), Set.of(), 4, Duration.ofSeconds(5), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0),
                (ae, files) -> { }));
        assertTrue(e.getMessage().contains("receive.port"), e.getMessage());
    }

    @Test
    void anImageOverTheLimit_abortsItsAssociation_andTheNodeGoesOnReceiving() throws Exception {
        Path spool = dir.resolve("spool");
        scp = StoreScp.start(new StoreScp.Settings("NODULED", InetAddress.getLoopbackAddress(), 0, spool, Set.of(), 4,
                Duration.ofSeconds(20), 64 << 10, 0), (callingAe, stored) -> released.add(stored));
        TestSlice big = TestSlice.at(0.0, 1);
        big.rows = 256;
        big.columns = 256; // 128 KiB of pixels, over the 64 KiB limit
        Path bigFile = big.writeInto(Files.createDirectories(dir.resolve("big")));
        StoreResult refused = new StoreScu().store(Destination.of("node", "NODULED", "127.0.0.1", scp.port()),
                Files.readAllBytes(bigFile));
        assertEquals(StoreResult.Outcome.UNREACHABLE, refused.outcome(), refused.problem());
        assertTrue(refused.problem().contains("aborted the association"), "told by an A-ABORT: " + refused.problem());
        assertEquals(List.of(), dicomFiles(spool));
        assertEquals(StoreResult.Outcome.STORED, sendSlice("NODULED", "SENDER").outcome());
    }

    @Test
    void aDiskWithLessFreeSpaceThanKept_refusesImagesOutOfResources_andKeepsNone() throws Exception {
        Path spool = dir.resolve("spool");
        scp = StoreScp.start(new StoreScp.Settings("NODULED", InetAddress.getLoopbackAddress(), 0, spool, Set.of(), 4,
                Duration.ofSeconds(20), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, Long.MAX_VALUE / 2),
                (callingAe, stored) -> released.add(stored));
        StoreResult result = sendSlice("NODULED", "SENDER");
        assertEquals(StoreResult.Outcome.REFUSED, result.outcome());
        assertEquals(0xA700, result.status());
        assertEquals(List.of(), dicomFiles(spool));
    }

    @Test
    void settings_refuseABadAeTitleAndNoAssociations() {
        assertThrows(IllegalArgumentException.class, () -> new StoreScp.Settings("BACK\\SLASH",
                InetAddress.getLoopbackAddress(), 0, dir, Set.of(), 4, Duration.ofSeconds(5), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0));
        assertThrows(IllegalArgumentException.class, () -> new StoreScp.Settings("NODULED",
                InetAddress.getLoopbackAddress(), 0, dir, Set.of(), 0, Duration.ofSeconds(5), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0));
    }

    private StoreResult sendSlice(String calledAe, String callingAe) throws Exception {
        Path source = Files.createDirectories(dir.resolve("one-" + calledAe + "-" + callingAe));
        TestSlice.at(0.0, 1).writeInto(source);
        byte[] slice;
        try (Stream<Path> files = Files.list(source)) {
            slice = Files.readAllBytes(files.findFirst().orElseThrow());
        }
        Destination node = new Destination("node", calledAe, "127.0.0.1", scp.port(), callingAe,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        return new StoreScu().store(node, slice);
    }

    private static List<Path> dicomFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return new ArrayList<>(files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList());
        }
    }

    private int dcmtk(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0] + ".log").toFile());
        builder.environment().put("TCP_NODELAY", "1");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish in 60 s");
        }
        int exit = process.exitValue();
        if (exit != 0) {
            System.out.println(Files.readString(dir.resolve(command[0] + ".log")));
        }
        return exit;
    }
}
