package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.preprocess.ShortUid;

/** {@code noduled detect} end to end on small phantoms with the tiny test model. */
class DetectCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static Path card;
    private static Path good;
    private static JsonNode truth;

    @TempDir
    Path dir;

    @BeforeAll
    static void phantomAndModel() throws IOException {
        card = Fixtures.tinyModel(shared.resolve("model"));
        good = Fixtures.smallPhantom(shared.resolve("good"), 5, 3);
        truth = JSON.readTree(good.resolve("truth.json").toFile());
    }

    private Fixtures.Run detect(Path cardPath, String... inputsAndOptions) {
        List<String> args = new java.util.ArrayList<>(List.of("detect", "--model", cardPath.toString(),
                "--out", dir.resolve("out").toString()));
        args.addAll(List.of(inputsAndOptions));
        return Fixtures.Run.of(args.toArray(String[]::new));
    }

    @Test
    void detect_smallPhantom_writesFindingsJsonWithEveryFindingFlaggedAtTheOperatingPoint() throws IOException {
        Fixtures.Run run = detect(card, good.toString());

        assertEquals(0, run.exit(), run.err() + run.out());
        String uid = truth.get("seriesInstanceUid").asText();
        JsonNode json = JSON.readTree(dir.resolve("out").resolve(uid).resolve("findings.json").toFile());
        JsonNode tinyCard = JSON.readTree(card.toFile());
        assertEquals(uid, json.get("seriesInstanceUid").asText());
        assertEquals("synthetic-trained model, not for clinical use", json.get("intendedUse").asText());
        assertEquals("noduled-test-tiny", json.at("/model/name").asText());
        assertEquals("0.0.1", json.at("/model/version").asText());
        assertEquals("hand-set-fp32", json.at("/model/variant").asText());
        assertEquals(tinyCard.get("sha256").asText(), json.at("/model/sha256").asText());
        double op = tinyCard.at("/decode/operatingPointScore").asDouble();
        assertEquals(op, json.at("/operatingPoint/score").asDouble());
        assertEquals(tinyCard.at("/decode/scoreThreshold").asDouble(), json.at("/operatingPoint/scoreThreshold").asDouble());

        int flagged = 0;
        int below = 0;
        for (JsonNode f : json.get("findings")) {
            double score = f.get("score").asDouble();
            assertTrue(score >= tinyCard.at("/decode/scoreThreshold").asDouble(), f.toString());
            assertEquals(score >= op, f.get("atOperatingPoint").asBoolean(), f.toString());
            flagged += score >= op ? 1 : 0;
            below += score < op ? 1 : 0;
            assertEquals(3, f.get("centerMm").size());
            assertEquals(3, f.get("centerVoxel").size());
            assertEquals(12.0, f.get("diameterMm").asDouble(), "the tiny model's constant diameter");
            // The nearest slice is the one the voxel centre's k rounds to: phantom instance UIDs end in ".k+1".
            long k = Math.round(f.get("centerVoxel").get(2).asDouble());
            assertTrue(f.get("nearestSliceUid").asText().endsWith("." + (k + 1)), f.toString());
        }
        assertTrue(flagged > 0 && below > 0, "fixture: this phantom gives findings on both sides of the operating"
                + " point with the tiny model, so the SR filter is exercised; got " + json.get("findings"));
        assertEquals(flagged, json.at("/sr/findings").asInt());

        JsonNode ms = json.get("timingsMs");
        double sum = 0;
        for (String stage : List.of("load", "preprocess", "infer", "decode", "report")) {
            assertTrue(ms.get(stage).asDouble() > 0, stage + " in " + ms);
            sum += ms.get(stage).asDouble();
        }
        assertEquals(sum, ms.get("total").asDouble(), 0.01);
        assertEquals(500.0, json.at("/latency/budgetMs").asDouble());
    }

    @Test
    void detect_smallPhantom_writesTheSrWithTheOperatingPointFindingsAndTheDerivedUid() throws Exception {
        Fixtures.Run run = detect(card, good.toString());
        assertEquals(0, run.exit(), run.err());

        String uid = truth.get("seriesInstanceUid").asText();
        JsonNode json = JSON.readTree(dir.resolve("out").resolve(uid).resolve("findings.json").toFile());
        AttributeList sr = new AttributeList();
        sr.read(dir.resolve("out").resolve(uid).resolve("sr.dcm").toString());
        assertEquals("1.2.840.10008.5.1.4.1.1.88.34", Attribute.getSingleStringValueOrNull(sr, TagFromName.SOPClassUID),
                "Comprehensive 3D SR");
        String sopUid = Attribute.getSingleStringValueOrNull(sr, TagFromName.SOPInstanceUID);
        assertEquals(json.at("/sr/sopInstanceUid").asText(), sopUid);
        assertEquals(uuidV5Uid("sr-instance|" + uid + "|" + json.at("/model/sha256").asText()), sopUid,
                "derived from (source series UID, model SHA-256) as OUTBOX.md says");
        assertEquals(json.at("/sr/findings").asInt(), countValueType(sr, "SCOORD3D"), "one 3D point per SR finding");
        AttributeList ct = new AttributeList();
        try (Stream<Path> files = Files.list(good)) {
            ct.read(files.filter(f -> f.toString().endsWith(".dcm")).findFirst().orElseThrow().toString());
        }
        assertEquals(Attribute.getSingleStringValueOrNull(ct, TagFromName.StudyInstanceUID),
                Attribute.getSingleStringValueOrNull(sr, TagFromName.StudyInstanceUID), "the SR joins the CT's study");

        Path again = dir.resolve("again");
        Fixtures.Run second = Fixtures.Run.of("detect", "--model", card.toString(), "--out", again.toString(),
                good.toString());
        assertEquals(0, second.exit(), second.err());
        AttributeList sr2 = new AttributeList();
        sr2.read(again.resolve(uid).resolve("sr.dcm").toString());
        assertEquals(sopUid, Attribute.getSingleStringValueOrNull(sr2, TagFromName.SOPInstanceUID),
                "reprocessing the series gives the same SR instance");
    }

    @Test
    void detect_printsOneSummaryLinePerSeriesWithStagesTotalAndVerdict() {
        Fixtures.Run run = detect(card, good.toString(), "--budget-ms", "100000");

        assertEquals(0, run.exit(), run.err());
        String uid = ShortUid.of(truth.get("seriesInstanceUid").asText());
        Pattern line = Pattern.compile("series " + Pattern.quote(uid) + ": \\d+ findings?, \\d+ at the operating point "
                + "0\\.5; total [0-9.]+ ms \\(load [0-9.]+ ms, preprocess [0-9.]+ ms, infer [0-9.]+ ms, decode [0-9.]+ ms, "
                + "report [0-9.]+ ms\\): within the 100000 ms budget");
        assertEquals(1, run.out().lines().filter(l -> line.matcher(l).matches()).count(), run.out());
        assertTrue(run.out().contains("1 series: 1 processed, 0 failed; 2 file(s) skipped, 0 of them damaged"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void detect_tinyBudget_verdictIsOver() {
        Fixtures.Run run = detect(card, good.toString(), "--budget-ms", "0.001");
        assertEquals(0, run.exit(), "a missed budget is reported, not a failure");
        assertTrue(run.out().contains(": OVER the 0.0 ms budget by "), run.out());
    }

    @Test
    void detect_missingModel_exitsTwoWithTheReasonBeforeReadingAnySeries() throws IOException {
        Path damaged = dir.resolve("in");
        Files.createDirectories(damaged);
        Files.write(damaged.resolve("broken.dcm"), brokenDicom());
        Path missing = dir.resolve("nowhere.card.json");

        Fixtures.Run run = detect(missing, damaged.toString(), good.toString());

        assertEquals(Main.EXIT_FAILURE, run.exit());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("noduled detect: model card " + missing + " does not exist"), run.err());
        assertEquals("", run.out(), "nothing scanned, nothing skipped, no series line");
        assertFalse(Files.exists(dir.resolve("out").resolve(truth.get("seriesInstanceUid").asText())));
    }

    @Test
    void detect_modelFileNotMatchingItsCard_exitsTwoNamingTheChecksum() throws IOException {
        Path copy = Fixtures.tinyModel(dir.resolve("model"));
        Path onnx = copy.resolveSibling(Fixtures.TINY_ONNX);
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length - 1] ^= 1;
        Files.write(onnx, bytes);

        Fixtures.Run run = detect(copy, good.toString());

        assertEquals(Main.EXIT_FAILURE, run.exit());
        assertTrue(run.err().contains("SHA-256"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void detect_strictTensorRtOnThisCpuOnlyBuild_exitsTwoBeforeReadingAnySeries() {
        assumeCpuOnlyBuild();
        Fixtures.Run run = detect(card, good.toString(), "--provider", "tensorrt", "--strict", "--trt-cache",
                dir.resolve("trt").toString());

        assertEquals(Main.EXIT_FAILURE, run.exit());
        assertTrue(run.err().startsWith("noduled detect: TensorRT execution provider requested, but the installed "
                + "ONNX Runtime does not have it"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void detect_tensorRtWithoutStrictOnThisCpuOnlyBuild_fallsBackAndProcesses() {
        assumeCpuOnlyBuild();
        Fixtures.Run run = detect(card, good.toString(), "--provider", "tensorrt");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("1 series: 1 processed"), run.out());
    }

    @Test
    void detect_unknownProvider_exitsTwoNamingTheChoices() {
        Fixtures.Run run = detect(card, good.toString(), "--provider", "gpu");
        assertEquals(Main.EXIT_FAILURE, run.exit());
        assertTrue(run.err().contains("unknown execution provider \"gpu\"; use tensorrt, cuda or cpu"), run.err());
    }

    @Test
    void detect_badSeriesBesideAGoodOne_processesTheGoodOneAndExitsOneWithAOneLineReason() throws IOException {
        Path bad = Fixtures.smallPhantom(dir.resolve("bad"), 6, 1);
        String badUid = JSON.readTree(bad.resolve("truth.json").toFile()).get("seriesInstanceUid").asText();
        Path someSlice;
        try (Stream<Path> files = Files.list(bad)) {
            someSlice = files.filter(f -> f.toString().endsWith(".dcm")).sorted().skip(10).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(someSlice.toFile(), "rw")) {
            f.setLength(f.length() - 1000);
        }

        Fixtures.Run run = detect(card, bad.toString(), good.toString());

        assertEquals(DetectCommand.EXIT_BAD_INPUT, run.exit(), run.err());
        String goodUid = truth.get("seriesInstanceUid").asText();
        assertTrue(Files.isRegularFile(dir.resolve("out").resolve(goodUid).resolve("findings.json")));
        assertTrue(Files.isRegularFile(dir.resolve("out").resolve(goodUid).resolve("sr.dcm")));
        assertFalse(Files.exists(dir.resolve("out").resolve(badUid)), "a failed series writes nothing");
        List<String> errors = run.err().strip().lines().toList();
        assertEquals(1, errors.size(), run.err());
        assertTrue(errors.get(0).startsWith("noduled detect: series " + ShortUid.of(badUid) + ": "), errors.get(0));
        assertTrue(errors.get(0).contains("truncated"), errors.get(0));
        assertTrue(run.out().contains("series " + ShortUid.of(badUid) + ": FAILED in load after "), run.out());
        assertTrue(run.out().contains("2 series: 1 processed, 1 failed"), run.out());
    }

    @Test
    void detect_sendToAClosedPort_keepsTheSrInTheOutboxAndExitsThree() throws IOException {
        int port = FreeLoopbackPort.pick();
        Path outbox = dir.resolve("outbox");

        Fixtures.Run run = detect(card, good.toString(), "--send", "PACS@127.0.0.1:" + port, "--outbox",
                outbox.toString(), "--send-wait", "0.5");

        assertEquals(DetectCommand.EXIT_UNDELIVERED, run.exit(), run.err() + run.out());
        assertTrue(run.out().contains("outbox: 1 SR(s) still pending"), run.out());
        JsonNode json = JSON.readTree(dir.resolve("out").resolve(truth.get("seriesInstanceUid").asText())
                .resolve("findings.json").toFile());
        assertTrue(json.at("/sr/queuedForPacs").asBoolean());
        assertTrue(Files.isRegularFile(outbox.resolve(json.at("/sr/sopInstanceUid").asText() + ".dcm")),
                "the SR waits in the outbox for the next run");
    }

    @Test
    void detect_sendToStorescp_deliversTheSrAndExitsZero() throws Exception {
        Path received = dir.resolve("received");
        Files.createDirectories(received);
        int port = FreeLoopbackPort.pick();
        Process storescp = new ProcessBuilder("storescp", "--aetitle", "STORESCP", "--output-directory",
                received.toString(), "--default-filenames", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("storescp.log").toFile()).start();
        try {
            awaitListening(port);
            Fixtures.Run run = detect(card, good.toString(), "--send", "STORESCP@127.0.0.1:" + port, "--send-wait", "30");

            assertEquals(0, run.exit(), run.err() + run.out());
            assertTrue(run.out().contains("outbox: every SR delivered to 1 destination(s)"), run.out());
            JsonNode json = JSON.readTree(dir.resolve("out").resolve(truth.get("seriesInstanceUid").asText())
                    .resolve("findings.json").toFile());
            String srUid = json.at("/sr/sopInstanceUid").asText();
            try (Stream<Path> files = Files.list(received)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertEquals(1, names.size(), names.toString());
                assertTrue(names.get(0).endsWith("." + srUid), "storescp names files <modality>.<SOP Instance UID>: "
                        + names);
            }
        } finally {
            storescp.destroy();
            storescp.waitFor();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("storescp did not listen on port " + port);
    }

    /** The default build (Maven Central's onnxruntime jar) has the CPU provider only; -Pgpu builds may not. */
    private static void assumeCpuOnlyBuild() {
        org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.TENSOR_RT), "this ONNX Runtime build has TensorRT");
    }

    private static byte[] brokenDicom() {
        byte[] bytes = new byte[600];
        new java.util.Random(3).nextBytes(bytes);
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, bytes, 128, 4);
        return bytes;
    }

    private static int countValueType(AttributeList list, String valueType) {
        int n = valueType.equals(Attribute.getSingleStringValueOrNull(list, TagFromName.ValueType)) ? 1 : 0;
        for (Object value : list.values()) {
            if (value instanceof SequenceAttribute sequence) {
                for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                    SequenceItem item = sequence.getItem(i);
                    n += countValueType(item.getAttributeList(), valueType);
                }
            }
        }
        return n;
    }

    /**
     * An independent restatement of the derivation OUTBOX.md describes: {@code 2.25.<UUID v5>} of the name
     * in noduled's namespace.
     */
    private static String uuidV5Uid(String name) throws Exception {
        UUID namespace = UUID.fromString("5d0b2f0e-8b8a-4c1e-9f3e-6a1c2b7d9e41");
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        return "2.25." + new BigInteger(1, java.util.Arrays.copyOf(hash, 16));
    }
}
