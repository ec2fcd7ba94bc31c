package org.noduled.preprocess;

/**
 * A UID shortened for messages and logs: long enough to tell series apart and to search for, short enough
 * to read ({@code 1.2.826.…345678}). UIDs carry no patient information, so they may be logged. Every
 * module shortens UIDs this way (here, in the lowest module, because UIDs are opaque strings to it too).
 */
public final class ShortUid {

    private static final int HEAD = 8;
    private static final int TAIL = 6;

    private ShortUid() {
    }

    /** The first 8 and last 6 characters joined by an ellipsis; short UIDs unchanged; null as "(none)". */
    public static String of(String uid) {
        if (uid == null || uid.isEmpty()) {
            return "(none)";
        }
        if (uid.length() <= HEAD + TAIL + 1) {
            return uid;
        }
        return uid.substring(0, HEAD) + "…" + uid.substring(uid.length() - TAIL);
    }
}
