/**
 * The DICOM network: destinations (AE@host:port), our own C-STORE/C-ECHO receiver (answers success only after
 * the image is on disk for good) and sender, and the protocol they share.
 */
package org.noduled.dicom.net;
