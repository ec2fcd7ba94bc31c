package org.noduled.detect;

import java.util.Objects;

/** Which model produced a result: what the SR's Algorithm Identification and findings.json name. */
public record ModelIdentity(String name, String version, String variant, String sha256) {

    public ModelIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(variant, "variant");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("model SHA-256 must be 64 lower-case hex digits, got " + sha256);
        }
    }
}
