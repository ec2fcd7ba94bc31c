/**
 * The findings as a TID 1500 Measurement Report in a Comprehensive 3D SR: one measurement group per finding,
 * with its 2D circle on the source image and its 3D point in the source frame of reference, and UIDs derived
 * from the source series and the model, so the same series and model give the same report.
 */
package org.noduled.dicom.sr;
