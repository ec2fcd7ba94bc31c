package org.noduled.dicom.net;

import java.time.Duration;
import org.noduled.dicom.DicomException;

/**
 * C-ECHO (the DICOM Verification service) to a destination: what an installer runs first to see that the node
 * and the PACS know each other's AE titles and can reach each other's ports.
 */
public final class Verification {

    private Verification() {
    }

    /**
     * Associates, echoes and releases; returns the round trip. The exception's message says what failed
     * (connection refused, AE title not recognised, timeout...) and what to check.
     */
    public static Duration echo(Destination destination) throws DicomException {
        long start = System.nanoTime();
        StoreResult result = new StoreScu().echo(destination);
        if (!result.outcome().delivered()) {
            throw new DicomException(result.problem());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
