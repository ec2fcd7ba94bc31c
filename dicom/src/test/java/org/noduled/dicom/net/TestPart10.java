package org.noduled.dicom.net;

/** Lets tests of other packages (the outbox's) find a report file's data set with the sender's own parser. */
public final class TestPart10 {

    private TestPart10() {
    }

    /** Where the data set starts: after the preamble, "DICM" and the file meta group. */
    public static int datasetOffset(byte[] part10) {
        return StoreScu.Part10.parse(part10).datasetOffset();
    }
}
