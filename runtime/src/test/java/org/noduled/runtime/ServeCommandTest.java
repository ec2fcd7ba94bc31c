package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code noduled serve} on a real drop folder with the tiny model (completion rules: DropFolderTest). */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void serve_goodAndBadSeriesDropped_writesResultsForOneAndKeepsTheOtherWithItsReason() throws Exception {
        Path card = Fixtures.tinyModel(dir.resolve("model"));
        Path good = Fixtures.smallPhantom(dir.resolve("good"), 5, 1);
        Path bad = Fixtures.smallPhantom(dir.resolve("bad"), 6, 1);
        truncateOneSlice(bad);
        String goodUid = uid(good);
        String badUid = uid(bad);
        Path drop = dir.resolve("drop");
        Path config = dir.resolve("noduled.conf");
        Files.writeString(config, String.join("\n",
                "drop.folder = " + drop,
                "drop.idleSeconds = 0.3",
                "drop.pollMillis = 20",
                "failed.folder = " + dir.resolve("failed"),
                "output.folder = " + dir.resolve("out"),
                "model.card = " + card,
                "engine.warmupRuns = 0",
                "engine.threads = 2",
                "device.name = test-node", ""));

        Serving serving = Serving.start(config);
        StringWriter out = serving.out();
        StringWriter err = serving.err();
        ServeCommand serve = serving.serve();
        CompletableFuture<Integer> exit = serving.exit();
        try {
            drop(good, drop, "a");
            drop(bad, drop, "b");
            Path findings = dir.resolve("out").resolve(goodUid).resolve("findings.json");
            Path reason = dir.resolve("failed").resolve(badUid).resolve(Intake.REASON_FILE);
            // the files go after the series' outputs are written: wait for all three, not for the outputs alone
            for (int i = 0; i < 600 && !(Files.exists(findings) && Files.exists(reason) && filesIn(drop) == 0)
                    && !exit.isDone(); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.isRegularFile(findings), out + " " + err);
            assertTrue(Files.isRegularFile(dir.resolve("out").resolve(goodUid).resolve("sr.dcm")));
            assertTrue(Files.readString(reason).contains("truncated"), Files.readString(reason));
            try (Stream<Path> kept = Files.list(reason.getParent())) {
                assertEquals(61, kept.count(), "the bad series' 60 files and reason.txt");
            }
            assertEquals(0, filesIn(drop), "the drop folder is emptied");
        } finally {
            serve.stopAndWait();
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), err.toString());
        assertTrue(out.toString().startsWith("noduled serve: model noduled-test-tiny"), out.toString());
        assertTrue(out.toString().contains("noduled serve: stopped"), out.toString());
    }

    @Test
    void serve_seriesReceivedByStorescu_isReportedAtAssociationRelease_notAfterTheIdleTimeout() throws Exception {
        assumeTrue(ExecutablePath.has("storescu"), "dcmtk's storescu is not installed (Debian: dcmtk); skipping");
        Path card = Fixtures.tinyModel(dir.resolve("model"));
        Path series = Fixtures.smallPhantom(dir.resolve("series"), 7, 1);
        String uid = uid(series);
        Path images = Files.createDirectories(dir.resolve("images")); // what a scanner sends: the images alone
        try (Stream<Path> files = Files.list(series)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).toList()) {
                Files.copy(f, images.resolve(f.getFileName()));
            }
        }
        int port = FreeLoopbackPort.pick();
        Path config = dir.resolve("noduled.conf");
        Files.writeString(config, String.join("\n",
                "drop.folder = " + dir.resolve("drop"),
                "drop.idleSeconds = 600",
                "drop.pollMillis = 20",
                "failed.folder = " + dir.resolve("failed"),
                "output.folder = " + dir.resolve("out"),
                "model.card = " + card,
                "receive.port = " + port,
                "receive.bindAddress = 127.0.0.1",
                "receive.aeTitle = NODULED",
                "receive.minFreeMegabytes = 0",
                "engine.warmupRuns = 1", ""));
        Serving serving = Serving.start(config);
        StringWriter out = serving.out();
        StringWriter err = serving.err();
        ServeCommand serve = serving.serve();
        CompletableFuture<Integer> exit = serving.exit();
        try {
            for (int i = 0; i < 600 && !out.toString().contains("receiving DICOM") && !exit.isDone(); i++) {
                Thread.sleep(50);
            }
            ProcessBuilder storescu = new ProcessBuilder("storescu", "-aet", "SCANNER", "-aec", "NODULED", "+sd",
                    "127.0.0.1", String.valueOf(port), images.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("storescu.log").toFile());
            storescu.environment().put("TCP_NODELAY", "1");
            Process sender = storescu.start();
            assertTrue(sender.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, sender.exitValue(), Files.readString(dir.resolve("storescu.log")) + out + err);
            Path findings = dir.resolve("out").resolve(uid).resolve("findings.json");
            for (int i = 0; i < 600 && !Files.exists(findings) && !exit.isDone(); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.isRegularFile(findings), "within 30 s of the release, far under the 600 s idle time: "
                    + out + " " + err);
            assertTrue(Files.isRegularFile(dir.resolve("out").resolve(uid).resolve("sr.dcm")));
        } finally {
            serve.stopAndWait();
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), err.toString());
        assertTrue(out.toString().contains("receiving DICOM as NODULED on 127.0.0.1:" + port), out.toString());
        assertTrue(out.toString().contains("warmed up in "), out.toString());
        try (Stream<Path> results = Files.list(dir.resolve("out"))) {
            assertEquals(List.of(uid), results.map(p -> p.getFileName().toString()).toList(),
                    "the warm-up's synthetic series leaves nothing in the output folder");
        }
    }

    @Test
    void serve_badConfiguration_exitsTwoNamingEveryBadKey() throws IOException {
        Path config = dir.resolve("bad.conf");
        Files.writeString(config, "drop.idleSeconds = soon\nengine.batch = 3\nengine.provdier = cuda\n"
                + "receive.port = 0\nreceive.completeOnRelease = maybe\n");

        Fixtures.Run run = Fixtures.Run.of("serve", "--config", config.toString());

        assertEquals(Main.EXIT_FAILURE, run.exit());
        for (String expected : new String[] {"unknown key(s) [engine.provdier]", "drop.folder is required",
            "drop.idleSeconds must be a number, got 'soon'", "failed.folder is required",
            "engine.batch must be 1, 2, 4 or 8, got 3", "neither destination.<name> nor output.folder is set",
            "receive.completeOnRelease must be true or false, got 'maybe'",
            "receive.port must lie in 1..65535, got 0"}) {
            assertTrue(run.err().contains(expected), expected + " in " + run.err());
        }
    }

    /** Copies a series in under a hidden name and renames it into view, as a well-behaved sender does. */
    private static void drop(Path series, Path drop, String name) throws IOException {
        Path hidden = drop.resolve("." + name);
        Files.createDirectories(hidden);
        try (Stream<Path> files = Files.list(series)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).toList()) {
                Files.copy(f, hidden.resolve(f.getFileName()));
            }
        }
        Files.move(hidden, drop.resolve(name));
    }

    /** {@code noduled serve --config FILE} running on another thread, its output captured. */
    private record Serving(StringWriter out, StringWriter err, ServeCommand serve, CompletableFuture<Integer> exit) {

        static Serving start(Path config) {
            CommandLine line = Main.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(err, true));
            ServeCommand serve = line.getSubcommands().get("serve").getCommand();
            return new Serving(out, err, serve, CompletableFuture.supplyAsync(() -> line.execute("serve", "--config",
                    config.toString())));
        }
    }

    private static void truncateOneSlice(Path series) throws IOException {
        try (Stream<Path> files = Files.list(series)) {
            Path slice = files.filter(f -> f.toString().endsWith(".dcm")).sorted().skip(10).findFirst().orElseThrow();
            try (RandomAccessFile f = new RandomAccessFile(slice.toFile(), "rw")) {
                f.setLength(f.length() - 1000);
            }
        }
    }

    private static String uid(Path series) throws IOException {
        return new ObjectMapper().readTree(series.resolve("truth.json").toFile()).get("seriesInstanceUid").asText();
    }

    /** Regular files under the folder; -1 when one vanished during the count (the node was deleting them). */
    private static long filesIn(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }
}
