package org.noduled.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Disk operations, each durable when it returns (the data and the folder entry are fsynced), so a crash or
 * power loss leaves either the state before the call or the state after it. The outbox keeps its reports with
 * them, the receiver its images before it answers success, and the SR writer its files. Not final: tests
 * subclass it to make the disk fail or the process "die" between two steps.
 */
public class DurableDisk {

    public static final DurableDisk SYSTEM = new DurableDisk();

    /** Prefix of temporary files; a file whose name starts with it is garbage from an interrupted write. */
    public static final String TEMP_PREFIX = ".tmp-";

    /** Writes {@code bytes} to a temporary file beside {@code target}, fsyncs it, renames it over the target. */
    public void writeAtomically(Path target, byte[] bytes) throws IOException {
        writeAtomically(target, new byte[0], bytes);
    }

    /**
     * The same for a file made of {@code head} then {@code body}, written in one gathering write rather than
     * joined in memory first (the receiver's file meta header before each image's data set).
     */
    public void writeAtomically(Path target, byte[] head, byte[] body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-"
                + target.getFileName());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer[] buffers = {ByteBuffer.wrap(head), ByteBuffer.wrap(body)};
                while (buffers[0].hasRemaining() || buffers[1].hasRemaining()) {
                    channel.write(buffers);
                }
                channel.force(true);
            }
            step("wrote and fsynced " + temp.getFileName());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        step("renamed it to " + target.getFileName());
        syncDirectory(dir);
        step("fsynced " + dir.getFileName());
    }

    /** Deletes {@code file} if it exists and makes the deletion durable. */
    public void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            step("deleted " + file.getFileName());
            syncDirectory(file.toAbsolutePath().getParent());
            step("fsynced " + file.toAbsolutePath().getParent().getFileName());
        }
    }

    /** Called after each step that changes the disk; tests override it to make the process "die" there. */
    protected void step(String done) {
    }

    /** fsync of a folder: makes the creation, rename or deletion of its entries durable (Linux, macOS). */
    private void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
