/**
 * DICOM for noduled, behind the project's own types: nothing outside this module sees PixelMed.
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
