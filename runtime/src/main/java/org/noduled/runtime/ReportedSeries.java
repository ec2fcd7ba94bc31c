package org.noduled.runtime;

import java.nio.file.Path;

/**
 * What the report stage did with one series' SR.
 *
 * @param srSopInstanceUid SOP Instance UID of the SR (derived from source series and model SHA-256)
 * @param srFindings       findings the SR carries (those at or above the card's operating point)
 * @param srFile           where the SR was written in the output folder, or null when there is none
 * @param queued           whether the SR went into the outbox for the configured destinations
 */
record ReportedSeries(String srSopInstanceUid, int srFindings, Path srFile, boolean queued) {
}
