/**
 * CT series in: scanning folders for DICOM files, grouping them by series, reading slice headers and pixel data
 * (native, JPEG Lossless, RLE), sorting slices along the patient axis and assembling the HU volume with its
 * geometry; refusing, by name and with what to do, a series that cannot make a correct volume. Also writes
 * synthetic series (phantoms) as DICOM.
 */
package org.noduled.dicom.series;
