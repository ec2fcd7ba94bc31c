package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on messages, which must say several things in any order. */
public final class TextAssertions {

    private TextAssertions() {
    }

    public static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }
}
