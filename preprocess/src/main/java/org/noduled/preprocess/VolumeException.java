package org.noduled.preprocess;

/**
 * A series that cannot be prepared for the detector: the message names the series (shortened UID),
 * what is wrong with it and what to do. Unchecked, so pipeline stages compose as plain functions; the
 * runtime catches it per series.
 */
public final class VolumeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VolumeException(String message) {
        super(message);
    }

    /** "series {@link ShortUid shortened UID}: {problem}; {action}". */
    static VolumeException forSeries(String seriesInstanceUid, String problem, String action) {
        return new VolumeException("series " + ShortUid.of(seriesInstanceUid) + ": " + problem + "; " + action);
    }
}
