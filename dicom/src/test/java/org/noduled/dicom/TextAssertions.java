package org.noduled.dicom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on messages, which must say several things in any order. */
final class TextAssertions {

    private TextAssertions() {
    }

    static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }
}
