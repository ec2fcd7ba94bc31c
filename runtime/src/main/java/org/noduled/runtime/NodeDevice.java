package org.noduled.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.noduled.dicom.sr.MeasurementReportBuilder;
import org.noduled.dicom.sr.ReportDevice;

/** This node as the SR's observer device: its name (the host's by default) and noduled's version. */
final class NodeDevice {

    static final String SOFTWARE_VERSION = "noduled 0.1.0";
    /** Series Number of every SR series this node writes (constant, so PACS hanging protocols can rely on it). */
    static final int SR_SERIES_NUMBER = 990;

    private NodeDevice() {
    }

    /** @param name the node's name, or null for the host name */
    static MeasurementReportBuilder reportBuilder(String name, Clock clock) {
        return new MeasurementReportBuilder(ReportDevice.noduled(name != null ? name : hostName(), SOFTWARE_VERSION),
                SR_SERIES_NUMBER, clock);
    }

    /** The host name as printable ASCII of at most 64 characters, or "noduled" when it cannot be had. */
    static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "noduled");
        }
        name = name.replaceAll("[^\\x21-\\x7e]|\\\\", "_");
        if (name.isEmpty()) {
            return "noduled";
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }
}
