package org.noduled.dicom;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a file the way the outbox writes reports: temporary file, fsync, atomic rename, folder fsync. The SR
 * and findings.json beside it, and every image the receiver answers success for, are written so: a crash never
 * leaves half of one.
 */
public final class DurableFile {

    private DurableFile() {
    }

    /** Replaces {@code target} with {@code bytes}; durable when it returns, all or nothing after a crash. */
    public static void write(Path target, byte[] bytes) throws IOException {
        DurableDisk.SYSTEM.writeAtomically(target, bytes);
    }

    /** As {@link #write(Path, byte[])} for {@code head} followed by {@code body}, without joining them first. */
    public static void write(Path target, byte[] head, byte[] body) throws IOException {
        DurableDisk.SYSTEM.writeAtomically(target, head, body);
    }
}
