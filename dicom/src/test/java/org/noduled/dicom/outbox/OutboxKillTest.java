package org.noduled.dicom.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import org.noduled.dicom.net.Storescp;
import org.noduled.dicom.sr.SrFixtures;
import org.noduled.dicom.sr.SrValidators;

/**
 * A real {@code kill -9}: a child JVM submits and sends reports to storescp and is killed with SIGKILL at
 * different moments (while storescp is up, and while it is down); then an outbox in this JVM opens the same
 * folder. Every report a child acknowledged reaches storescp; nothing else does; the folder ends empty.
 */
class OutboxKillTest {

    @TempDir
    Path dir;

    @Test
    void killNineAtAnyMoment_losesNoAcknowledgedReport() throws Exception {
        SrValidators.assumeInstalled("storescp");
        Path outboxDir = dir.resolve("outbox");
        Set<String> acknowledged = new HashSet<>();
        Set<String> attempted = new HashSet<>();
        try (Storescp storescp = Storescp.acceptingAll(dir.resolve("storescp"))) {
            storescp.start();
            // round: storescp up?, reports, acknowledgements to wait for before the kill
            int[][] rounds = {{1, 8, 3}, {0, 8, 8}, {1, 8, 1}};
            for (int round = 0; round < rounds.length; round++) {
                if (rounds[round][0] == 1) {
                    storescp.start();
                } else {
                    storescp.stop();
                }
                int first = 100 * (round + 1);
                for (int n = first; n < first + rounds[round][1]; n++) {
                    attempted.add(SrFixtures.reportOnSeries(n).sopInstanceUid());
                }
                acknowledged.addAll(runAndKill(outboxDir, storescp.dicomPort, first, rounds[round][1],
                        rounds[round][2]));
            }
            storescp.start();
            RecordingListener listener = new RecordingListener();
            try (Outbox outbox = Outbox.open(outboxDir, List.of(storescp.destination()),
                    new OutboxBackoff(Duration.ofMillis(20), Duration.ofMillis(100)), listener, Clock.systemUTC())) {
                outbox.start();
                Await.until("the restarted outbox delivers what the killed ones left",
                        () -> outbox.pendingSopInstanceUids().isEmpty(), () -> listener.failures.toString());
            }
            Set<String> received = new HashSet<>(storescp.receivedSopInstanceUids());
            assertTrue(received.containsAll(acknowledged), "acknowledged but lost: " + minus(acknowledged, received));
            assertTrue(attempted.containsAll(received), "delivered but never submitted: "
                    + minus(received, attempted));
            assertTrue(acknowledged.size() >= 12, "acknowledged " + acknowledged.size());
            try (Stream<Path> left = Files.list(outboxDir)) {
                assertEquals(List.of(), left.toList());
            }
            System.out.println("kill -9 rounds: " + acknowledged.size() + " acknowledged, " + received.size()
                    + " received of " + attempted.size() + " attempted");
        }
    }

    /** Starts a child, kills it with SIGKILL once it has acknowledged {@code killAfter} reports. */
    private static List<String> runAndKill(Path outboxDir, int port, int first, int count, int killAfter)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: the child lives a second, start-up is what costs
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), OutboxChild.class.getName(), outboxDir.toString(),
                Integer.toString(port), Integer.toString(first), Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acks = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acks.add(line.substring(4));
                    }
                }
            } catch (IOException e) {
                // the child died
            }
        });
        reader.start();
        long started = System.nanoTime();
        try {
            Await.until("child acknowledges " + killAfter + " reports", () -> acks.size() >= killAfter
                    || !child.isAlive());
            child.destroyForcibly(); // SIGKILL on Unix
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not die");
        } finally {
            child.destroyForcibly();
        }
        reader.join(5000);
        System.out.printf("child %d..%d killed after %d acknowledgements, %d ms%n", first, first + count - 1,
                acks.size(), (System.nanoTime() - started) / 1_000_000);
        return new ArrayList<>(acks);
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> difference = new HashSet<>(a);
        difference.removeAll(b);
        return difference;
    }
}
