package org.noduled.dicom.outbox;

import java.time.Duration;
import org.noduled.dicom.net.Destination;
import org.noduled.preprocess.ShortUid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbox's events as log lines; UIDs shortened, no patient data. */
final class OutboxLog implements OutboxListener {

    /** Consecutive failures to reach a destination from which a warning becomes an error. */
    static final int OUTAGE_ERROR_AFTER = 5;
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    @Override
    public void submitted(String srSopInstanceUid, String sourceSeriesUid) {
        log.info("SR {} for series {} is in the outbox", ShortUid.of(srSopInstanceUid),
                ShortUid.of(sourceSeriesUid));
    }

    @Override
    public void delivered(String srSopInstanceUid, String sourceSeriesUid, Destination destination) {
        log.info("SR {} for series {} delivered to {}", ShortUid.of(srSopInstanceUid),
                ShortUid.of(sourceSeriesUid), destination);
    }

    @Override
    public void deliveryFailed(String srSopInstanceUid, String sourceSeriesUid, Destination destination,
            boolean refused, int failures, String problem, Duration retryIn) {
        String line = "SR {} for series {} not delivered to {} (failure {}): {}. It stays in the outbox;"
                + " next attempt in {} ms";
        Object[] args = {ShortUid.of(srSopInstanceUid), ShortUid.of(sourceSeriesUid), destination, failures,
            problem, retryIn.toMillis()};
        if (refused || failures >= OUTAGE_ERROR_AFTER) {
            log.error(line, args);
        } else {
            log.warn(line, args);
        }
    }

    @Override
    public void completed(String srSopInstanceUid, String sourceSeriesUid) {
        log.debug("SR {} for series {} left the outbox: every destination has it", ShortUid.of(srSopInstanceUid),
                ShortUid.of(sourceSeriesUid));
    }

    @Override
    public void cleanupFailed(String srSopInstanceUid, String problem) {
        log.warn(problem);
    }

    @Override
    public void recovered(int pendingReports) {
        if (pendingReports > 0) {
            log.info("outbox holds {} SR(s) from an earlier run; delivering them", pendingReports);
        }
    }
}
