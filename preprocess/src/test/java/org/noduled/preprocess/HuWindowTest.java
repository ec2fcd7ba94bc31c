package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HuWindowTest {

    private final HuWindow window = new HuWindow(-1000, 400);

    @Test
    void normalise_insideWindow_scalesLinearlyToZeroOne() {
        assertEquals(0f, window.normalise(-1000));
        assertEquals(1f, window.normalise(400));
        assertEquals(0.5f, window.normalise(-300), 1e-7);
        assertEquals(150f / 1400f, window.normalise(-850), 1e-7);
    }

    @Test
    void normalise_outsideWindow_clipsToEnds() {
        assertEquals(0f, window.normalise(-2048));
        assertEquals(1f, window.normalise(1500));
    }

    @Test
    void constructor_emptyWindow_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new HuWindow(400, 400));
    }
}
