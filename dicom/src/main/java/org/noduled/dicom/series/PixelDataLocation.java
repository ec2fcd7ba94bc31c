package org.noduled.dicom.series;

/**
 * Where the value of the top-level Pixel Data element (7FE0,0010) lies in a file. {@code lengthBytes} is -1
 * for encapsulated (compressed) pixel data of undefined length; {@code offsetBytes} is -1 when the data set
 * is deflated, so that the toolkit has to inflate it to find the pixels.
 */
record PixelDataLocation(long offsetBytes, long lengthBytes) {

    static final PixelDataLocation INSIDE_DEFLATED_DATA_SET = new PixelDataLocation(-1, -1);

    boolean encapsulated() {
        return lengthBytes < 0;
    }

    /** Bytes missing at the end of a file of the given size, 0 when the value is complete. */
    long bytesMissing(long fileSizeBytes) {
        if (offsetBytes < 0 || lengthBytes < 0) {
            return 0;
        }
        return Math.max(0, offsetBytes + lengthBytes - fileSizeBytes);
    }
}
