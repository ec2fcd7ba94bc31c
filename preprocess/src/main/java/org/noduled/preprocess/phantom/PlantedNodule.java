package org.noduled.preprocess.phantom;

import org.noduled.preprocess.Vec3;

/**
 * One planted nodule as truth.json lists it.
 *
 * @param id             1-based, in planting order
 * @param centerMm       centre in patient coordinates (LPS, mm)
 * @param diameterMm     nominal diameter: twice the base radius before lobulation
 * @param type           density class
 * @param attachment     what it touches
 * @param hu             HU of the solid part (solid) or of the ground glass (part-solid, ground-glass)
 * @param coreDiameterMm diameter of the solid core of a part-solid nodule; 0 otherwise
 * @param coreHu         HU of that core; 0 otherwise
 */
public record PlantedNodule(int id, Vec3 centerMm, double diameterMm, NoduleType type,
        NoduleAttachment attachment, double hu, double coreDiameterMm, double coreHu) {

    public double radiusMm() {
        return diameterMm / 2;
    }
}
