package org.noduled.dicom.outbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Where a report file's data set starts, for tests that cut or corrupt it there. */
final class Part10Offset {

    private Part10Offset() {
    }

    /** After the 128-byte preamble, "DICM" and the file meta group, whose first element (0002,0000) gives its length. */
    static int datasetOffset(byte[] part10) {
        int groupLength = ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return 144 + groupLength;
    }
}
