package org.noduled.preprocess;

/**
 * A series that cannot be prepared for the detector: the message names the series (shortened UID),
 * what is wrong with it and what to do. Unchecked, so pipeline stages compose as plain functions; the
 * runtime catches it per series.
 */
public final class VolumeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How many trailing UID characters identify a series in a message: enough to find it in a PACS. */
    private static final int SHORT_UID_CHARS = 12;

    public VolumeException(String message) {
        super(message);
    }

    /** "series ...123456789012: {problem}; {action}". */
    static VolumeException forSeries(String seriesInstanceUid, String problem, String action) {
        return new VolumeException("series " + shortUid(seriesInstanceUid) + ": " + problem + "; " + action);
    }

    static String shortUid(String uid) {
        return uid.length() <= SHORT_UID_CHARS ? uid : "..." + uid.substring(uid.length() - SHORT_UID_CHARS);
    }
}
