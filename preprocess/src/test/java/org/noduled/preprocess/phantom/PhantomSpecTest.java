package org.noduled.preprocess.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhantomSpecTest {

    @Test
    void defaults_areTheIssueSeries() {
        PhantomSpec s = PhantomSpec.defaults(1);
        assertEquals(512, s.columns());
        assertEquals(300, s.slices());
        assertEquals(0.7, s.pixelSpacingMm());
        assertEquals(1.0, s.sliceSpacingMm());
        assertEquals("1-6", s.noduleCountText());
    }

    @Test
    void outOfRangeValues_areRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PhantomSpec.defaults(1).withGrid(8, 512, 300, 0.7, 1));
        assertTrue(e.getMessage().contains("columns must be 16..2048, got 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PhantomSpec.defaults(1).withNoiseHu(-1));
        assertTrue(e.getMessage().contains("noise"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PhantomSpec.defaults(1).withNodules(4, 2));
        assertTrue(e.getMessage().contains("4-2"), e.getMessage());
    }

    @Test
    void parseNoduleCount_takesAFixedCountOrARange() {
        assertArrayEquals(new int[] {3, 3}, PhantomSpec.parseNoduleCount("3"));
        assertArrayEquals(new int[] {1, 6}, PhantomSpec.parseNoduleCount("1-6"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PhantomSpec.parseNoduleCount("many"));
        assertTrue(e.getMessage().contains("'many'"), e.getMessage());
    }

    @Test
    void tooLittleLungInTheFieldOfView_isAClearError() {
        // 64 x 0.7 mm = 45 mm across: only mediastinum and spine are in view.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Phantom.plan(PhantomSpec.defaults(1).withGrid(64, 64, 40, 0.7, 1).withNodules(2, 2)));
        assertTrue(e.getMessage().contains("use a larger grid"), e.getMessage());
    }
}
