package org.noduled.preprocess.phantom;

/** Nodule density class, as radiologists sort them; the JSON name is what truth.json carries. */
public enum NoduleType {
    SOLID("solid"),
    PART_SOLID("part-solid"),
    GROUND_GLASS("ground-glass");

    private final String jsonName;

    NoduleType(String jsonName) {
        this.jsonName = jsonName;
    }

    String jsonName() {
        return jsonName;
    }

    /** Whether the nodule is drawn as a density added to the lung (vessels show through) rather than a solid. */
    boolean hasGroundGlass() {
        return this != SOLID;
    }
}
