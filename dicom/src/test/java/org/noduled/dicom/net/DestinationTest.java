package org.noduled.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DestinationTest {

    @Test
    void of_usesOurAeTitleAndDefaultTimeouts() {
        Destination d = Destination.of("pacs", "ORTHANC", "10.1.2.3", 4242);
        assertEquals("NODULED", d.callingAeTitle());
        assertEquals(Duration.ofSeconds(5), d.connectTimeout());
        assertEquals(Duration.ofSeconds(30), d.readTimeout());
        assertEquals("pacs (ORTHANC@10.1.2.3:4242)", d.toString());
    }

    @Test
    void constructor_aeTitleLongerThanSixteen_isRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Destination.of("pacs", "A_VERY_LONG_AE_TITLE", "h", 104));
        assertTrue(e.getMessage().contains("A_VERY_LONG_AE_TITLE"), e.getMessage());
    }

    @Test
    void constructor_badPortOrNameOrTimeout_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Destination.of("pacs", "PACS", "h", 0));
        assertThrows(IllegalArgumentException.class, () -> Destination.of("pacs/1", "PACS", "h", 104));
        assertThrows(IllegalArgumentException.class, () -> Destination.of("pacs", "PACS", "h", 104)
                .withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
