package org.noduled.dicom.outbox;

import java.time.Duration;
import org.noduled.dicom.net.Destination;

/**
 * What the outbox reports as it works (after OkHttp's EventListener): the runtime's metrics and the log
 * listen here. Called on the submitting thread or a sender thread, with the outbox's lock held: keep it quick.
 */
public interface OutboxListener {

    /** An SR is in the outbox, fsynced, and waits for its destinations. */
    default void submitted(String srSopInstanceUid, String sourceSeriesUid) {
    }

    /** A destination answered success for an SR. */
    default void delivered(String srSopInstanceUid, String sourceSeriesUid, Destination destination) {
    }

    /**
     * An attempt failed; the SR stays in the outbox and is tried again after {@code retryIn}.
     *
     * @param refused  true if the PACS answered and refused the SR; false if it could not be reached
     * @param failures consecutive failures so far (of this destination if unreachable, of this SR if refused)
     * @param problem  what went wrong and what to do about it
     */
    default void deliveryFailed(String srSopInstanceUid, String sourceSeriesUid, Destination destination,
            boolean refused, int failures, String problem, Duration retryIn) {
    }

    /** Every destination has the SR; its file left the outbox. */
    default void completed(String srSopInstanceUid, String sourceSeriesUid) {
    }

    /** A delivered report could not be removed from the outbox folder; the next start removes it. */
    default void cleanupFailed(String srSopInstanceUid, String problem) {
    }

    /** On opening, the outbox found SRs an earlier run had not delivered everywhere. */
    default void recovered(int pendingReports) {
    }

    /** Logs every event through SLF4J: failures as warnings, refusals and long outages as errors. */
    static OutboxListener logging() {
        return new OutboxLog();
    }
}
