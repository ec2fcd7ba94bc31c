package org.noduled.dicom.net;

import java.util.Objects;

/**
 * How one C-STORE attempt ended.
 *
 * @param outcome what happened, which decides what the outbox does next
 * @param status  the DIMSE status the PACS answered (-1 when it never answered one)
 * @param problem for anything but {@link Outcome#STORED}: what went wrong and what to do, in words a hospital
 *                IT person can act on; empty when stored
 */
public record StoreResult(Outcome outcome, int status, String problem) {

    public enum Outcome {
        /** The PACS answered success (or a warning, which still means stored). */
        STORED,
        /** The PACS refused this object (a failure status, or it does not accept the SR's SOP class). */
        REFUSED,
        /** The PACS could not be reached or did not finish the exchange: connection, association, timeout, abort. */
        UNREACHABLE;

        public boolean delivered() {
            return this == STORED;
        }
    }

    public StoreResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(problem, "problem");
    }

    static StoreResult stored(int status) {
        return new StoreResult(Outcome.STORED, status, "");
    }

    public static StoreResult refused(int status, String problem) {
        return new StoreResult(Outcome.REFUSED, status, problem);
    }

    static StoreResult unreachable(String problem) {
        return new StoreResult(Outcome.UNREACHABLE, -1, problem);
    }

    /**
     * Whether a C-STORE response status means the object was stored: success (0x0000) and the warnings
     * coercion of data elements (0xB000), elements discarded (0xB006) and data set does not match SOP class
     * (0xB007). PS3.4 GG.4-1 and B.2.3.
     */
    static boolean isStoredStatus(int status) {
        return status == 0x0000 || status == 0xB000 || status == 0xB006 || status == 0xB007;
    }

    /** The meaning of a C-STORE failure status (PS3.4 B.2.3, PS3.7 C), for messages. */
    static String describeFailure(int status) {
        if ((status & 0xFF00) == 0xA700) {
            return "out of resources";
        }
        if ((status & 0xFF00) == 0xA900) {
            return "data set does not match SOP class";
        }
        if ((status & 0xF000) == 0xC000) {
            return "cannot understand";
        }
        return switch (status) {
            case 0x0122 -> "SOP class not supported";
            case 0x0124 -> "not authorized";
            case 0x0210 -> "duplicate invocation";
            case 0x0211 -> "unrecognized operation";
            case 0x0212 -> "mistyped argument";
            case 0x0110 -> "processing failure";
            case 0x0111 -> "duplicate SOP instance";
            case 0x0117 -> "invalid object instance";
            default -> "failure";
        };
    }
}
