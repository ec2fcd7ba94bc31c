package org.noduled.dicom.net;

import java.time.Duration;
import java.util.Objects;

/**
 * A DICOM storage destination (a PACS) the outbox sends every report to.
 *
 * @param name           short label for logs and for the outbox's per-destination delivery state; letters,
 *                       digits, '.', '_' or '-'. Renaming a destination makes the outbox send pending reports
 *                       to it again.
 * @param calledAeTitle  the PACS's AE title
 * @param host           host name or address of the PACS
 * @param port           its DICOM port
 * @param callingAeTitle our AE title, as the PACS knows us
 * @param connectTimeout how long to wait for the TCP connection
 * @param readTimeout    how long to wait for each answer of the PACS (association, store response, release)
 */
public record Destination(String name, String calledAeTitle, String host, int port, String callingAeTitle,
        Duration connectTimeout, Duration readTimeout) {

    public static final String DEFAULT_CALLING_AE_TITLE = "NODULED";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    public Destination {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("destination name must be 1 to 64 letters, digits, '.', '_' or '-',"
                    + " got '" + name + "'");
        }
        requireAeTitle("called AE title of destination " + name, calledAeTitle);
        requireAeTitle("calling AE title of destination " + name, callingAeTitle);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("destination " + name + " needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of destination " + name + " must lie in 1..65535, got " + port);
        }
        requirePositive("connect timeout of destination " + name, connectTimeout);
        requirePositive("read timeout of destination " + name, readTimeout);
    }

    /** A destination with our default calling AE title ("NODULED") and timeouts (5 s connect, 30 s read). */
    public static Destination of(String name, String calledAeTitle, String host, int port) {
        return new Destination(name, calledAeTitle, host, port, DEFAULT_CALLING_AE_TITLE, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT);
    }

    public Destination withTimeouts(Duration connectTimeout, Duration readTimeout) {
        return new Destination(name, calledAeTitle, host, port, callingAeTitle, connectTimeout, readTimeout);
    }

    /** e.g. {@code pacs (ORTHANC@10.1.2.3:4242)}: what log lines name. */
    @Override
    public String toString() {
        return name + " (" + calledAeTitle + "@" + host + ":" + port + ")";
    }

    /** Package-wide rule for AE titles (PS3.5 AE: 16 printable characters, no backslash). */
    static void requireAeTitle(String what, String title) {
        if (title == null || title.isBlank() || title.length() > 16 || !title.matches("[\\x20-\\x7e]+")
                || title.contains("\\")) {
            throw new IllegalArgumentException(what + " must be 1 to 16 printable ASCII characters without a"
                    + " backslash, got '" + title + "'");
        }
    }

    private static void requirePositive(String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero() || duration.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be positive and under 24 days, got " + duration);
        }
    }
}
