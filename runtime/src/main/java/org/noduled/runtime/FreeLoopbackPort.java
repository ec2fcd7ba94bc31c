package org.noduled.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback TCP port nothing listens on right now, for a peer the caller is about to start (storescp, our own
 * receiver) or for a port that must refuse connections. Another process may take it in between; callers that
 * start a listener on it wait for that listener, not for the port to be free.
 */
final class FreeLoopbackPort {

    private FreeLoopbackPort() {
    }

    static int pick() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
