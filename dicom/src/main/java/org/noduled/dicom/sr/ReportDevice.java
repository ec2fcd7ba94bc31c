package org.noduled.dicom.sr;

import java.util.Objects;

/**
 * The device that signs the report as its observer (TID 1004 Device Observer Identifying Attributes) and
 * that the General and Enhanced General Equipment modules name.
 *
 * @param observerUid     Device Observer UID: identifies this installation, stable across restarts
 * @param name            Device Observer Name, e.g. the host's name
 * @param manufacturer    Device Observer Manufacturer and the equipment's Manufacturer
 * @param modelName       Device Observer Model Name and Manufacturer's Model Name
 * @param serialNumber    Device Observer Serial Number and Device Serial Number
 * @param softwareVersion Software Versions of the equipment (noduled's version)
 */
public record ReportDevice(String observerUid, String name, String manufacturer, String modelName,
        String serialNumber, String softwareVersion) {

    public ReportDevice {
        if (observerUid == null || !observerUid.matches("[0-2](\\.(0|[1-9][0-9]*))+") || observerUid.length() > 64) {
            throw new IllegalArgumentException("device observer UID must be a DICOM UID (digits and dots, at most"
                    + " 64 characters), got " + observerUid);
        }
        requireShort("device name", name, 64);
        requireShort("manufacturer", manufacturer, 64);
        requireShort("model name", modelName, 64);
        requireShort("serial number", serialNumber, 64);
        requireShort("software version", softwareVersion, 64);
    }

    /**
     * A noduled installation named {@code installationName} (a host name, say); its observer UID is derived
     * from that name, so it stays the same across restarts and reinstallations.
     */
    public static ReportDevice noduled(String installationName, String softwareVersion) {
        Objects.requireNonNull(installationName, "installationName");
        return new ReportDevice(SrUid.of("device|" + installationName), installationName, "noduled project",
                "noduled nodule CAD", installationName, softwareVersion);
    }

    private static void requireShort(String what, String value, int maxChars) {
        if (value == null || value.isBlank() || value.length() > maxChars || !value.matches("[\\x20-\\x7e]+")
                || value.contains("\\")) {
            throw new IllegalArgumentException(what + " must be 1 to " + maxChars
                    + " printable ASCII characters without a backslash, got '" + value + "'");
        }
    }
}
