package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.net.StoreScp;

/** {@code noduled echo} against a live C-ECHO peer (our own receiver, AE PEER), a wrong AE title and a closed port. */
class EchoCommandTest {

    @TempDir
    Path dir;

    private StoreScp peer;

    @BeforeEach
    void startPeer() throws DicomException {
        peer = StoreScp.start(new StoreScp.Settings("PEER", InetAddress.getLoopbackAddress(), 0, dir.resolve("spool"),
                Set.of(), 4, Duration.ofSeconds(10), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0), (ae, files) -> { });
    }

    @AfterEach
    void stopPeer() {
        peer.close();
    }

    @Test
    void echo_peerThatAnswers_printsItsRoundTripAndExitsZero() {
        Fixtures.Run run = Fixtures.Run.of("echo", "PEER@127.0.0.1:" + peer.port());
        assertEquals(0, run.exit(), run.err() + run.out());
        assertTrue(run.out().matches("PEER@127\\.0\\.0\\.1:" + peer.port() + ": answered C-ECHO in \\d+ ms\\R"),
                run.out());
    }

    @Test
    void echo_wrongAeTitleAndClosedPort_sayWhatToCheckAndExitTwo() throws IOException {
        int closed = FreeLoopbackPort.pick();
        Fixtures.Run run = Fixtures.Run.of("echo", "WRONG@127.0.0.1:" + peer.port(), "PEER@127.0.0.1:" + closed);
        assertEquals(Main.EXIT_FAILURE, run.exit());
        assertTrue(run.out().contains("FAILED: PACS") && run.out().contains("called AE title 'WRONG' not recognized"),
                run.out());
        assertTrue(run.out().contains("refused the connection"), run.out());
    }

    @Test
    void echo_withTheNodesConfiguration_echoesEveryDestinationAndTheNodesOwnReceiver() throws IOException {
        Path config = dir.resolve("noduled.conf");
        Files.writeString(config, String.join("\n",
                "drop.folder = " + dir.resolve("drop"),
                "failed.folder = " + dir.resolve("failed"),
                "outbox.folder = " + dir.resolve("outbox"),
                "destination.pacs = PEER@127.0.0.1:" + peer.port(),
                "receive.port = " + peer.port(),
                "receive.aeTitle = PEER",
                "receive.bindAddress = 127.0.0.1", ""));
        Fixtures.Run run = Fixtures.Run.of("echo", "--config", config.toString());
        assertEquals(0, run.exit(), run.err() + run.out());
        assertTrue(run.out().contains("destination pacs (PEER@127.0.0.1:" + peer.port() + "): answered C-ECHO"),
                run.out());
        assertTrue(run.out().contains("this node's receiver (PEER@127.0.0.1:" + peer.port() + "): answered"),
                run.out());
    }
}
