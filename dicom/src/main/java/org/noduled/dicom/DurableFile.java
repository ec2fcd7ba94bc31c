package org.noduled.dicom;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a file the way the outbox writes reports: temporary file, fsync, atomic rename, folder fsync. Files
 * that accompany a report (findings.json beside sr.dcm) use it too, so a crash never leaves half of either.
 */
public final class DurableFile {

    private DurableFile() {
    }

    /** Replaces {@code target} with {@code bytes}; durable when it returns, all or nothing after a crash. */
    public static void write(Path target, byte[] bytes) throws IOException {
        DurableDisk.SYSTEM.writeAtomically(target, bytes);
    }
}
