package org.noduled.dicom.net;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A receiver process for {@link StoreScpKillTest} to kill: starts {@link StoreScp} on a free loopback port
 * writing into the folder given as its argument, prints "PORT n", then idles.
 */
public final class ScpChild {

    private ScpChild() {
    }

    public static void main(String[] args) throws Exception {
        StoreScp scp = StoreScp.start(new StoreScp.Settings("NODULED", InetAddress.getLoopbackAddress(), 0,
                Path.of(args[0]), Set.of(), 4, Duration.ofSeconds(10), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0), (ae, stored) -> { });
        System.out.println("PORT " + scp.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
