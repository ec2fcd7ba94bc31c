package org.noduled.dicom.series;

/** One slice's pixels in HU, read before the series was assembled, with the voxels its rescale clipped. */
record DecodedSlice(short[] hu, int clippedVoxels) {
}
