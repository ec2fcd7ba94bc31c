package org.noduled.preprocess;

/**
 * The HU window a model was trained with: values are clipped to {@code [lowHu, highHu]} and scaled to
 * 0..1, as the model card's {@code normalisation} states.
 */
public record HuWindow(double lowHu, double highHu) {

    public HuWindow {
        if (!(lowHu < highHu)) {
            throw new IllegalArgumentException("HU window must have low < high, got [" + lowHu + ", " + highHu + "]");
        }
    }

    /** clip(hu, low, high) then (hu - low) / (high - low). */
    float normalise(double hu) {
        double v = (hu - lowHu) / (highHu - lowHu);
        return (float) (v < 0 ? 0 : v > 1 ? 1 : v);
    }
}
