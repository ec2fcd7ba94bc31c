package org.noduled.dicom.sr;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic DICOM UIDs for what noduled writes: a name-based (version 5) UUID under the {@code 2.25} root
 * (PS3.5 B.2). The same inputs always give the same UID, so a series processed twice by the same model
 * yields an SR with the same SOP Instance UID and the receiver replaces it instead of keeping two.
 */
public final class SrUid {

    /** Namespace of every noduled UID; a fixed random UUID, so other 2.25 derivations cannot collide. */
    private static final UUID NAMESPACE = UUID.fromString("5d0b2f0e-8b8a-4c1e-9f3e-6a1c2b7d9e41");

    private SrUid() {
    }

    /** The UID for a name, e.g. {@code "sr-instance|<source series UID>|<model SHA-256>"}. */
    public static String of(String name) {
        byte[] hash = sha1(name);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer first16 = ByteBuffer.wrap(hash, 0, 16);
        UUID uuid = new UUID(first16.getLong(), first16.getLong());
        return "2.25." + unsigned(uuid);
    }

    /** SOP Instance UID of the SR for a source series and model. */
    static String srInstance(String sourceSeriesUid, String modelSha256) {
        return of("sr-instance|" + sourceSeriesUid + "|" + modelSha256);
    }

    /** Series Instance UID of the SR for a source series and model. */
    static String srSeries(String sourceSeriesUid, String modelSha256) {
        return of("sr-series|" + sourceSeriesUid + "|" + modelSha256);
    }

    /** Tracking Unique Identifier of finding {@code index} (0-based) of an SR. */
    static String tracking(String srInstanceUid, int index) {
        return of("tracking|" + srInstanceUid + "|" + index);
    }

    private static BigInteger unsigned(UUID uuid) {
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        return new BigInteger(1, bytes);
    }

    private static byte[] sha1(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16)
                    .putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits())
                    .array());
            return sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-1", e);
        }
    }
}
