/**
 * DICOM for noduled, behind the project's own types: no code outside this module calls PixelMed. (One public
 * method, {@link org.noduled.dicom.series.SourceStudy#patientAndStudy()}, passes PixelMed's attribute list from
 * the series package to the SR writer; nothing else in a public signature is PixelMed's.)
 * <ul>
 * <li>{@link org.noduled.dicom.series}: CT series in, from files to a geometrically correct HU volume (and out,
 * for phantoms).</li>
 * <li>{@link org.noduled.dicom.sr}: the findings as a TID 1500 Structured Report.</li>
 * <li>{@link org.noduled.dicom.net}: the network: our C-STORE/C-ECHO receiver and sender.</li>
 * <li>{@link org.noduled.dicom.outbox}: durable delivery of reports to the PACS, through crashes and outages.</li>
 * </ul>
 * This package holds what they share: the one exception type and durable disk writes.
 */
package org.noduled.dicom;
