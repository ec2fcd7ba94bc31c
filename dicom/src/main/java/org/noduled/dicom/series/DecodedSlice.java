package org.noduled.dicom.series;

import org.noduled.dicom.DicomException;

/** One slice's pixels in HU, with the voxels its rescale clipped. */
record DecodedSlice(short[] hu, int clippedVoxels) {

    /** Reads the slice's stored values from its file and rescales them to HU. */
    static DecodedSlice read(SliceHeader slice) throws DicomException {
        short[] values = PixelReader.readStored(slice);
        int clipped = PixelReader.toHu(values, slice.format(), slice.rescaleSlope(), slice.rescaleIntercept());
        return new DecodedSlice(values, clipped);
    }

    /** Bytes of pixels held. */
    long bytes() {
        return (long) Short.BYTES * hu.length;
    }
}
