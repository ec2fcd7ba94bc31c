package org.noduled.preprocess.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/** Planted nodules against the rendered voxels, on the default grid (only the nodules' slices are rendered). */
class NoduleTruthTest {

    private static final int SEEDS = 6;

    private static List<Phantom> phantoms(double noiseHu) {
        List<Phantom> list = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            list.add(Phantom.plan(PhantomSpec.defaults(seed).withNodules(5, 5).withNoiseHu(noiseHu)));
        }
        return list;
    }

    private static int[] nearestVoxel(VolumeGeometry g, PlantedNodule n) {
        Vec3 v = g.toVoxel(n.centerMm());
        return new int[] {(int) Math.round(v.x()), (int) Math.round(v.y()), (int) Math.round(v.z())};
    }

    @Test
    void everyNodule_hasItsCentreInsideALung_andItsCentreVoxelLabelledAsIt() {
        for (Phantom p : phantoms(25)) {
            VolumeGeometry g = p.geometry();
            for (PlantedNodule n : p.nodules()) {
                assertTrue(p.inLung(n.centerMm()), "nodule " + n + " centre outside the lungs");
                int[] v = nearestVoxel(g, n);
                short[] hu = new short[g.columns() * g.rows()];
                byte[] labels = new byte[hu.length];
                p.renderSlice(v[2], hu, labels);
                assertEquals(Tissue.NODULE_BASE + n.id() - 1, labels[v[1] * g.columns() + v[0]],
                        "label at the centre voxel of " + n);
            }
        }
    }

    @Test
    void noduleHu_matchesItsType() {
        Set<NoduleType> seen = EnumSet.noneOf(NoduleType.class);
        for (Phantom p : phantoms(0)) {
            VolumeGeometry g = p.geometry();
            for (PlantedNodule n : p.nodules()) {
                int[] v = nearestVoxel(g, n);
                short[] hu = new short[g.columns() * g.rows()];
                p.renderSlice(v[2], hu, new byte[hu.length]);
                double centre = hu[v[1] * g.columns() + v[0]];
                seen.add(n.type());
                switch (n.type()) {
                    case SOLID -> {
                        assertTrue(n.hu() >= -100 && n.hu() <= 100, n.toString());
                        if (n.diameterMm() >= 6) {
                            assertEquals(n.hu(), centre, 25, "centre HU of " + n);
                        } else {
                            assertTrue(centre > -500, "centre HU " + centre + " of " + n);
                        }
                    }
                    case GROUND_GLASS -> {
                        assertTrue(n.hu() >= -700 && n.hu() <= -500, n.toString());
                        // A vessel crossing the centre shows through ground glass; parenchyma never does.
                        // Below 6 mm the blur pulls the centre towards the surrounding lung.
                        double floor = n.diameterMm() >= 6 ? n.hu() - 25 : -760;
                        assertTrue(centre > floor && centre < 100, "centre HU " + centre + " of " + n);
                    }
                    case PART_SOLID -> {
                        assertTrue(n.coreDiameterMm() >= 0.3 * n.diameterMm() - 1e-9
                                && n.coreDiameterMm() <= 0.6 * n.diameterMm() + 1e-9, n.toString());
                        assertTrue(centre > n.hu() - 60 && centre < Math.max(n.coreHu(), 40) + 25,
                                "centre HU " + centre + " of " + n);
                    }
                    default -> throw new AssertionError(n.type());
                }
            }
        }
        assertEquals(EnumSet.allOf(NoduleType.class), seen, "the seeds should cover every type");
    }

    @Test
    void attachments_touchWhatTheySay() {
        Set<NoduleAttachment> seen = EnumSet.noneOf(NoduleAttachment.class);
        for (Phantom p : phantoms(25)) {
            for (NoduleBody body : p.nodules) {
                PlantedNodule n = body.truth;
                seen.add(n.attachment());
                double wall = distanceToLungEdge(p, n);
                double vessel = nearestVesselSurface(p, n, 0.8);
                switch (n.attachment()) {
                    case JUXTAPLEURAL -> assertTrue(wall < n.radiusMm(), "wall " + wall + " mm from " + n);
                    case JUXTAVASCULAR -> assertTrue(vessel < n.radiusMm(), "vessel " + vessel + " mm from " + n);
                    case ISOLATED -> assertTrue(wall > n.radiusMm() && nearestVesselSurface(p, n, 1.5) > n.radiusMm(),
                            "isolated " + n + ": wall " + wall + " mm, vessel " + vessel + " mm");
                    default -> throw new AssertionError(n.attachment());
                }
            }
        }
        assertEquals(EnumSet.allOf(NoduleAttachment.class), seen);
    }

    @Test
    void diameters_spanThreeToThirtyMm_weightedTowardsSmall() {
        int small = 0;
        int total = 0;
        for (long seed = 1; seed <= 60; seed++) {
            Phantom p = Phantom.plan(PhantomSpec.defaults(seed).withGrid(64, 64, 30, 5.6, 10).withNodules(3, 3));
            for (PlantedNodule n : p.nodules()) {
                assertTrue(n.diameterMm() >= 3 && n.diameterMm() <= 30, n.toString());
                total++;
                if (n.diameterMm() < 10) {
                    small++;
                }
            }
        }
        assertTrue(small > total / 2, small + " of " + total + " below 10 mm");
    }

    @Test
    void truthJson_centresMapToVoxelsThroughTheGeometry(@TempDir Path dir) throws IOException {
        Phantom p = Phantom.plan(PhantomSpec.defaults(4).withNodules(4, 4));
        String json = Files.readString(PhantomFiles.writeTruth(dir, p));
        Matcher m = Pattern.compile("\"centerMm\": \\[([^]]*)\\],\\s*\"centerVoxel\": \\[([^]]*)\\]").matcher(json);
        int found = 0;
        while (m.find()) {
            Vec3 mm = vector(m.group(1));
            Vec3 voxel = vector(m.group(2));
            Vec3 expected = p.geometry().toVoxel(mm);
            assertEquals(0, expected.minus(voxel).norm(), 0.002, "centre " + mm);
            assertEquals(0, p.geometry().toPatient(voxel.x(), voxel.y(), voxel.z()).minus(mm).norm(), 0.002);
            found++;
        }
        assertEquals(4, found);
        assertTrue(json.contains("\"intendedUse\": \"synthetic, not for clinical use\""));
        assertFalse(json.contains("NaN"));
    }

    private static Vec3 vector(String csv) {
        String[] parts = csv.split(",");
        return new Vec3(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
    }

    /** Shortest distance from the centre, over 26 directions in 0.25 mm steps, to a point outside the lung. */
    private static double distanceToLungEdge(Phantom p, PlantedNodule n) {
        double best = Double.POSITIVE_INFINITY;
        for (int ix = -1; ix <= 1; ix++) {
            for (int iy = -1; iy <= 1; iy++) {
                for (int iz = -1; iz <= 1; iz++) {
                    if (ix == 0 && iy == 0 && iz == 0) {
                        continue;
                    }
                    Vec3 dir = new Vec3(ix, iy, iz).unit();
                    for (double s = 0; s < best && s < 60; s += 0.25) {
                        if (!p.inLung(n.centerMm().plus(dir.times(s)))) {
                            best = s;
                        }
                    }
                }
            }
        }
        return best;
    }

    private static double nearestVesselSurface(Phantom p, PlantedNodule n, double minRadiusMm) {
        double best = Double.POSITIVE_INFINITY;
        Vec3 c = n.centerMm();
        for (Tube t : p.vessels) {
            if (t.r0 >= minRadiusMm) {
                best = Math.min(best, t.surfaceDistance(c.x(), c.y(), c.z()));
            }
        }
        return best;
    }
}
