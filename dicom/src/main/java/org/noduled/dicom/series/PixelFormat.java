package org.noduled.dicom.series;

/**
 * How one image's pixels are laid out (Image Pixel module). noduled reads single-frame grayscale images with
 * 16 bits allocated; {@link #problem()} says in words why any other layout is refused.
 */
record PixelFormat(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, int highBit,
        boolean signed, int frames, String photometricInterpretation) {

    /** Bytes of one frame as stored natively (rows x columns x 2). */
    long frameBytes() {
        return (long) rows * columns * samplesPerPixel * (bitsAllocated / 8);
    }

    /** Why noduled cannot read this layout, or null when it can. */
    String problem() {
        if (rows <= 0 || columns <= 0) {
            return "has no usable Rows/Columns (" + rows + "x" + columns + ")";
        }
        if (samplesPerPixel != 1 || !("MONOCHROME2".equals(photometricInterpretation)
                || "MONOCHROME1".equals(photometricInterpretation))) {
            return "is not a grayscale image (Samples per Pixel " + samplesPerPixel + ", Photometric Interpretation "
                    + photometricInterpretation + ")";
        }
        if (bitsAllocated != 16) {
            return "has " + bitsAllocated + " bits allocated per pixel; noduled reads 16-bit CT images only";
        }
        if (bitsStored < 1 || bitsStored > 16 || highBit != bitsStored - 1) {
            return "has an unsupported bit layout (Bits Stored " + bitsStored + ", High Bit " + highBit + ")";
        }
        if (frames > 1) {
            return "is a multi-frame image (" + frames + " frames, e.g. Enhanced CT); send the series as "
                    + "single-frame CT Image Storage";
        }
        return null;
    }
}
