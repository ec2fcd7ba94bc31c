package org.noduled.runtime;

import org.noduled.dicom.net.Destination;
import picocli.CommandLine;

/**
 * Parses {@code AE@HOST:PORT} (IPv6 hosts in brackets: {@code AE@[::1]:104}) into a destination named
 * after it, with our default calling AE title and timeouts.
 */
final class DestinationOption implements CommandLine.ITypeConverter<Destination> {

    @Override
    public Destination convert(String value) {
        int at = value.indexOf('@');
        int colon = value.lastIndexOf(':');
        if (at < 1 || colon < at + 2 || colon == value.length() - 1) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not AE@HOST:PORT (e.g. PACS@10.0.0.5:104)");
        }
        String ae = value.substring(0, at);
        String host = value.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("port of '" + value + "' is not a number");
        }
        String name = (ae + "-" + host + "-" + port).replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            return Destination.of(name.length() > 64 ? name.substring(0, 64) : name, ae, host, port);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
