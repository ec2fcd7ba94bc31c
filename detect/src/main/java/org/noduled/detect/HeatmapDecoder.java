package org.noduled.detect;

import java.util.ArrayList;
import java.util.List;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.PreparedVolume;
import org.noduled.preprocess.SlabWindow;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;
import org.noduled.preprocess.VoxelMapping;

/**
 * Turns the model's maps into findings, as the card says and as training's evaluation decodes
 * (models/training/nodtrain/decode.py): heatmap peaks become candidates; the regression refines their
 * centre (dx, dy in output cells from the cell's corner, dz in resampled slices from the slab centre) and
 * gives the diameter; the centre goes back through the resampling to source voxels and through the volume
 * geometry to patient mm; 3D non-maximum suppression merges what overlapping tiles and neighbouring slabs
 * saw twice (the model is trained so that a neighbour's weak answer points at the same centre); each
 * finding names its nearest source slice.
 */
final class HeatmapDecoder {

    /** Diameters below this are raised to it, as training's decoder does, so NMS has a positive radius. */
    static final double MIN_DIAMETER_MM = 0.5;

    private final ModelCard card;
    private final int dx;
    private final int dy;
    private final int dz;
    private final int diameter;

    HeatmapDecoder(ModelCard card) {
        this.card = card;
        ModelCard.Output out = card.output();
        this.dx = out.channel("dx");
        this.dy = out.channel("dy");
        this.dz = out.channel("dz");
        this.diameter = out.channel("diameterMm");
    }

    List<Finding> decode(PreparedVolume prepared, SlabOutputs outputs) {
        List<NonMaximumSuppression.Candidate> candidates = new ArrayList<>();
        ModelCard.Decode d = card.decode();
        for (int w = 0; w < outputs.windows(); w++) {
            SlabWindow window = prepared.plan().windows().get(w);
            for (PeakFinder.Peak peak : PeakFinder.peaks(outputs, w, d.peakWindow(), d.scoreThreshold())) {
                candidates.add(candidate(prepared, window, peak, outputs, w));
            }
        }
        List<Finding> findings = new ArrayList<>();
        CtVolume source = prepared.source();
        for (NonMaximumSuppression.Candidate c
                : NonMaximumSuppression.apply(candidates, d.nmsDistanceFactor(), d.maxFindings())) {
            int k = (int) Math.round(c.centerVoxel().z());
            findings.add(new Finding(c.centerMm(), c.centerVoxel(), c.diameterMm(), c.score(),
                    source.sliceInstanceUids().get(k)));
        }
        return findings;
    }

    private NonMaximumSuppression.Candidate candidate(PreparedVolume prepared, SlabWindow window,
            PeakFinder.Peak peak, SlabOutputs outputs, int w) {
        int stride = card.output().stride();
        // Cell p spans resampled pixels [p * stride, (p + 1) * stride) measured from pixel edges; the pixel
        // whose centre is at edge coordinate x has index x - 0.5.
        double u = window.columnOffset() + (peak.p() + outputs.regression(w, dx, peak.q(), peak.p())) * stride - 0.5;
        double v = window.rowOffset() + (peak.q() + outputs.regression(w, dy, peak.q(), peak.p())) * stride - 0.5;
        double t = window.centreSlice() + outputs.regression(w, dz, peak.q(), peak.p());
        VoxelMapping mapping = prepared.resampled().mapping();
        VolumeGeometry g = prepared.source().geometry();
        Vec3 voxel = insideVolume(mapping.toSource(u, v, t), g);
        Vec3 mm = g.toPatient(voxel.x(), voxel.y(), voxel.z());
        double diameterMm = outputs.regression(w, diameter, peak.q(), peak.p());
        return new NonMaximumSuppression.Candidate(mm, voxel,
                diameterMm > MIN_DIAMETER_MM ? diameterMm : MIN_DIAMETER_MM, Math.min(1.0, Math.max(0.0, peak.score())));
    }

    /** Clamps a source voxel position into the volume, so centre and nearest slice always exist. */
    private static Vec3 insideVolume(Vec3 voxel, VolumeGeometry g) {
        return new Vec3(clamp(voxel.x(), g.columns() - 1), clamp(voxel.y(), g.rows() - 1),
                clamp(voxel.z(), g.slices() - 1));
    }

    private static double clamp(double value, int max) {
        return Math.max(0, Math.min(max, value));
    }
}
