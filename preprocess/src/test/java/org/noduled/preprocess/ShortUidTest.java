package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShortUidTest {

    @Test
    void of_longUid_keepsTheFirstEightAndLastSixCharacters() {
        assertEquals("1.2.826.…498.77", ShortUid.of("1.2.826.0.1.3680043.8.498.77"));
        assertEquals("2.25.740…329152", ShortUid.of("2.25.74091086376311058890450236474061625269.4.329152"));
    }

    @Test
    void of_uidOfFifteenCharactersOrFewer_isUnchanged() {
        assertEquals("1.2.840.10008.1", ShortUid.of("1.2.840.10008.1"));
        assertEquals("1.2.840.…008.12", ShortUid.of("1.2.840.10008.12"));
        assertEquals("unknown", ShortUid.of("unknown"));
    }

    @Test
    void of_missingUid_readsNone() {
        assertEquals("(none)", ShortUid.of(null));
        assertEquals("(none)", ShortUid.of(""));
    }
}
