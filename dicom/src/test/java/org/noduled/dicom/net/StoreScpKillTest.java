package org.noduled.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.Await;
import org.noduled.dicom.series.Ingest;
import org.noduled.dicom.series.SeriesFiles;

/**
 * The receiver killed with SIGKILL while a sender stores images one by one: every image it answered with
 * success is in the spool folder, whole and readable, and a restart removes what the kill interrupted. (A
 * SIGKILL keeps the page cache, so this proves the answer-after-rename order, not the fsync; a power cut is not
 * simulated.)
 */
class StoreScpKillTest {

    @TempDir
    Path dir;

    @Test
    void killedReceiver_keepsEveryImageItAnsweredWhole_andARestartClearsWhatTheKillInterrupted() throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        Ingest.writeStack(source, 40, 0.0, 1.0);
        List<Path> slices;
        try (Stream<Path> files = Files.list(source)) {
            slices = files.sorted().toList();
        }
        Path spool = dir.resolve("spool");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), ScpChild.class.getName(), spool.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> answered = new CopyOnWriteArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("PORT "), "child said " + first);
            Destination node = Destination.of("node", "NODULED", "127.0.0.1", Integer.parseInt(first.substring(5)))
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
            Thread sender = new Thread(() -> {
                StoreScu scu = new StoreScu();
                for (Path slice : slices) {
                    try {
                        byte[] bytes = Files.readAllBytes(slice);
                        if (scu.store(node, bytes).outcome().delivered()) {
                            answered.add(StoreScu.Part10.parse(bytes).sopInstanceUid());
                        } else {
                            return; // the receiver is gone
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            sender.start();
            Await.until("15 images answered", () -> answered.size() >= 15 || !sender.isAlive());
            child.destroyForcibly(); // SIGKILL on Unix
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the receiver did not die");
            sender.join(10_000);
        } finally {
            child.destroyForcibly();
        }
        assertTrue(answered.size() >= 15 && answered.size() < 40, "killed mid-series: " + answered.size());

        Set<String> kept = new HashSet<>();
        for (SeriesFiles series : Ingest.scan(spool).series()) {
            for (Path f : series.files()) {
                kept.add(StoreScu.Part10.parse(Files.readAllBytes(f)).sopInstanceUid());
            }
        }
        assertTrue(kept.containsAll(answered), "answered but not kept whole: " + minus(answered, kept));
        assertTrue(kept.size() <= answered.size() + 1, "at most the image in flight is kept unanswered");
        assertEquals(List.of(), Ingest.scan(spool).skipped().stream()
                .filter(skipped -> !skipped.file().getFileName().toString().startsWith(".")).toList(),
                "no visible file is partial (a hidden temporary one may be: the drop folder ignores it)");

        StoreScp restarted = StoreScp.start(new StoreScp.Settings("NODULED", InetAddress.getLoopbackAddress(), 0,
                spool, Set.of(), 4, Duration.ofSeconds(5), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0), (ae, stored) -> { });
        restarted.close();
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".")).toList());
        }
        System.out.println("receiver killed after " + answered.size() + " of 40 images answered; " + kept.size()
                + " kept");
    }

    private static List<String> minus(List<String> a, Set<String> b) {
        List<String> missing = new ArrayList<>(a);
        missing.removeAll(b);
        return missing;
    }
}
