/**
 * Durable delivery of reports to the PACS: a report is on disk (fsynced) before it is queued and leaves only
 * when every destination has answered success; each destination has its own sender and backoff, so one PACS
 * that is down, slow or refusing holds up no other. After a crash the folder alone says what is left to do
 * (OUTBOX.md).
 */
package org.noduled.dicom.outbox;
