package org.noduled.preprocess.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * The patient: sizes, positions and tissue HU of every fixed structure, drawn once per seed.
 *
 * <p>Patient coordinates, LPS millimetres: x to the patient's left, y to posterior, z up. The scan is
 * centred on the origin. Shapes are analytic (ellipses, ellipsoids, domes, tubes) so the lung test is a few
 * comparisons and a port to numpy is line by line. The draw order below is the specification: the
 * README lists it, and changing it changes every phantom.
 */
final class Anatomy {

    static final long STREAM = 1;
    static final double SKIN_MM = 2;
    /** Ribs and intercostal muscle between the chest-wall muscle and the pleural cavity. */
    static final double RIB_ZONE_MM = 10;
    static final double PLEURA_MM = 1.5;
    static final double HEART_FAT_MM = 4;
    static final double CORTEX_MM = 1.5;
    static final double AIRWAY_WALL_MM = 2;
    static final double DISC_MM = 5;
    static final int RIB_PAIRS = 12;
    static final int RIB_SEGMENTS = 20;
    /** The pleural cavity (and lungs, ribs) narrows by this fraction of its half-width from lung base to apex. */
    static final double CAVITY_TAPER = 0.15;

    // Body outline: ellipse halves (anterior, posterior) around (cx, yc).
    final double cx;
    final double yc;
    final double bodyHalfWidthMm;
    final double bodyAnteriorMm;
    final double bodyPosteriorMm;
    final double fatMm;
    final double muscleMm;
    // Pleural cavity: the body ellipse shrunk by skin, fat, muscle and the rib zone (half-width at the lung base).
    final double cavityHalfWidthMm;
    final double cavityAnteriorMm;
    final double cavityPosteriorMm;
    // Tissue HU.
    final double lungHu;
    final double lungGradientHu;
    final double fatHu;
    final double muscleHu;
    final double bloodHu;
    final double liverHu;
    final double cortexHu;
    final double marrowHu;
    final double cartilageHu;
    // Lung extent along z and diaphragm domes.
    final double lungBaseZ;
    final double lungApexZ;
    final double apexHeightMm;
    final double domeRightMm;
    final double domeLeftMm;
    final double domeCenterY;
    final double domeHalfWidthMm;
    final double domeHalfDepthMm;
    // Mediastinum: a tall ellipse between the lungs.
    final double mediastinumHalfWidthMm;
    final double mediastinumCenterY;
    final double mediastinumHalfDepthMm;
    // Heart: ellipsoid turned by heartAngle in-plane (long axis towards anterior-left).
    final double heartX;
    final double heartY;
    final double heartZ;
    final double heartLongMm;
    final double heartShortMm;
    final double heartHalfHeightMm;
    final double heartCos;
    final double heartSin;
    // Spine.
    final double vertebraRadiusMm;
    final double spineY;
    final double vertebraPitchMm;
    final double vertebraPhaseMm;
    // Airways, hila and great vessels.
    final double tracheaRadiusMm;
    final double tracheaY;
    final double[] hilumZ = new double[2];
    final double[] hilumX = new double[2];
    final double[] hilumY = new double[2];
    final double carinaZ;
    final double aortaRadiusMm;
    // Ribs.
    final double ribRadiusMm;
    final double ribPitchMm;
    final double rib1Z;
    final double ribDropMm;

    /** Tubes of the fixed anatomy (great vessels, airways, oesophagus, ribs) in painting order. */
    final List<Tube> structureTubes = new ArrayList<>();
    /** Tubes the lungs keep clear of (already grown by their margin). */
    final List<Tube> lungExclusions = new ArrayList<>();

    static final double[] HILUM_SEMI_AXES_MM = {12, 20, 24};

    Anatomy(long seed) {
        SplitMix64 r = SplitMix64.stream(seed, STREAM, 0);
        cx = r.uniform(-8, 8);
        yc = r.uniform(-22, -8);
        bodyHalfWidthMm = r.uniform(148, 170);
        bodyAnteriorMm = r.uniform(105, 125);
        bodyPosteriorMm = r.uniform(100, 115);
        fatMm = r.uniform(6, 20);
        muscleMm = r.uniform(8, 14);
        double wall = SKIN_MM + fatMm + muscleMm + RIB_ZONE_MM;
        cavityHalfWidthMm = bodyHalfWidthMm - wall;
        cavityAnteriorMm = bodyAnteriorMm - wall;
        cavityPosteriorMm = bodyPosteriorMm - wall;

        lungHu = r.uniform(-885, -855);
        lungGradientHu = r.uniform(15, 40);
        fatHu = r.uniform(-110, -85);
        muscleHu = r.uniform(40, 55);
        bloodHu = r.uniform(35, 50);
        liverHu = r.uniform(52, 65);
        cortexHu = r.uniform(650, 850);
        marrowHu = r.uniform(180, 260);
        cartilageHu = r.uniform(90, 140);

        lungBaseZ = r.uniform(-140, -120);
        lungApexZ = r.uniform(105, 130);
        apexHeightMm = r.uniform(60, 85);
        domeRightMm = r.uniform(40, 60);
        domeLeftMm = domeRightMm - r.uniform(8, 20);
        double cavityMidY = yc + (cavityPosteriorMm - cavityAnteriorMm) / 2;
        double cavityHalfDepth = (cavityAnteriorMm + cavityPosteriorMm) / 2;
        domeCenterY = cavityMidY - 10;
        domeHalfWidthMm = cavityHalfWidthMm * 0.6;
        domeHalfDepthMm = cavityHalfDepth * 0.95;

        mediastinumHalfWidthMm = r.uniform(15, 22);
        mediastinumCenterY = cavityMidY + cavityHalfDepth * 0.25;
        mediastinumHalfDepthMm = cavityHalfDepth * 1.15;

        heartLongMm = r.uniform(55, 68);
        heartShortMm = r.uniform(42, 52);
        heartHalfHeightMm = r.uniform(48, 58);
        double heartAngle = r.uniform(0.45, 0.7);
        heartCos = StrictMath.cos(heartAngle);
        heartSin = StrictMath.sin(heartAngle);
        heartX = cx + r.uniform(12, 24);
        heartY = yc - cavityAnteriorMm + heartShortMm * 1.05;
        heartZ = lungBaseZ + domeLeftMm + heartHalfHeightMm * 0.7;

        vertebraRadiusMm = r.uniform(15, 19);
        spineY = yc + cavityPosteriorMm - vertebraRadiusMm * 1.1;
        vertebraPitchMm = r.uniform(24, 28);
        vertebraPhaseMm = r.uniform(0, vertebraPitchMm);

        tracheaRadiusMm = r.uniform(8, 10);
        tracheaY = spineY - vertebraRadiusMm - tracheaRadiusMm - 16;
        hilumZ[0] = lungBaseZ + (lungApexZ - lungBaseZ) * r.uniform(0.52, 0.6);
        hilumZ[1] = hilumZ[0] + r.uniform(4, 12);
        for (int side = 0; side < 2; side++) {
            hilumX[side] = cx + sideSign(side) * (mediastinumHalfWidthMm + r.uniform(4, 10));
            hilumY[side] = tracheaY + r.uniform(-5, 10);
        }
        carinaZ = hilumZ[0] + r.uniform(15, 25);
        aortaRadiusMm = r.uniform(11, 14);
        double ascendingX = cx - r.uniform(5, 12);
        double ascendingY = tracheaY - r.uniform(30, 40);
        double archZ = carinaZ + r.uniform(20, 35);

        ribRadiusMm = r.uniform(4.5, 5.5);
        ribPitchMm = r.uniform(22, 26);
        rib1Z = lungApexZ - r.uniform(5, 15);
        ribDropMm = r.uniform(85, 110);

        buildGreatVesselsAndAirways(ascendingX, ascendingY, archZ);
        buildRibs();
    }

    /** Side 0 is the patient's right (x below cx), side 1 the left. */
    static double sideSign(int side) {
        return side == 0 ? -1 : 1;
    }

    int sideOf(double x) {
        return x < cx ? 0 : 1;
    }

    /** Half-width of the pleural cavity at height z: tapered linearly from the lung base up to the apex. */
    double cavityHalfWidthAt(double z) {
        double up = (z - lungBaseZ) / (lungApexZ - lungBaseZ);
        return cavityHalfWidthMm * (1 - CAVITY_TAPER * Math.max(0, Math.min(1, up)));
    }

    /** Height of the diaphragm under (x, y) on the given side: a paraboloid dome above the lung base. */
    double diaphragmZ(int side, double x, double y) {
        double u = (x - (cx + sideSign(side) * cavityHalfWidthMm * 0.45)) / domeHalfWidthMm;
        double v = (y - domeCenterY) / domeHalfDepthMm;
        double rise = 1 - u * u - v * v;
        return lungBaseZ + (rise > 0 ? rise * (side == 0 ? domeRightMm : domeLeftMm) : 0);
    }

    /** Whether (x, y, z) is lung (parenchyma, vessel or nodule all count): the region nodules live in. */
    boolean inLung(double x, double y, double z) {
        return section(z).inLung(x, y);
    }

    /** The anatomy cut at height z, with what depends on z alone worked out once. */
    AnatomySection section(double z) {
        return new AnatomySection(this, z);
    }

    /** Lung parenchyma HU before texture and noise: denser posteriorly (gravity), +-gradient/2. */
    double parenchymaHu(double y) {
        return lungHu + lungGradientHu * (y - mediastinumCenterY) / (cavityAnteriorMm + cavityPosteriorMm);
    }

    private void buildGreatVesselsAndAirways(double ascendingX, double ascendingY, double archZ) {
        double[] carina = {cx, tracheaY, carinaZ};
        Tube trachea = new Tube(TubeKind.AIRWAY, new double[] {cx, tracheaY, lungApexZ + 200}, carina,
                tracheaRadiusMm, tracheaRadiusMm);
        double[] archTop = {ascendingX, ascendingY, archZ};
        double[] archMid = {cx + tracheaRadiusMm + aortaRadiusMm + 2, tracheaY + 2, archZ + 10};
        double descendingX = cx + vertebraRadiusMm * 0.6 + aortaRadiusMm + 2;
        double[] archEnd = {descendingX, spineY - vertebraRadiusMm * 0.7, archZ};
        double[] abdomen = {descendingX, archEnd[1], lungBaseZ - 200};
        double[] root = {ascendingX, ascendingY, heartZ + heartHalfHeightMm * 0.3};
        List<Tube> aorta = List.of(
                new Tube(TubeKind.AORTA, root, archTop, aortaRadiusMm, aortaRadiusMm),
                new Tube(TubeKind.AORTA, archTop, archMid, aortaRadiusMm, aortaRadiusMm),
                new Tube(TubeKind.AORTA, archMid, archEnd, aortaRadiusMm, aortaRadiusMm),
                new Tube(TubeKind.AORTA, archEnd, abdomen, aortaRadiusMm * 0.9, aortaRadiusMm * 0.9));
        Tube esophagus = new Tube(TubeKind.ESOPHAGUS, new double[] {cx + 9, spineY - vertebraRadiusMm - 8,
            lungApexZ + 200}, new double[] {cx + 9, spineY - vertebraRadiusMm - 8, lungBaseZ - 200}, 7, 7);
        // Pulmonary trunk from the top of the heart to its bifurcation, arteries on to each hilum; the
        // superior vena cava right of the ascending aorta down into the heart.
        double[] trunkBase = {heartX - 10, heartY - heartShortMm * 0.4, heartZ + heartHalfHeightMm * 0.6};
        double[] bifurcation = {cx + 8, tracheaY - 22, hilumZ[1] - 3};
        double[] svcTop = {ascendingX - aortaRadiusMm - 11, ascendingY + 6, lungApexZ + 200};
        double[] svcBottom = {svcTop[0], svcTop[1], heartZ + heartHalfHeightMm * 0.4};
        List<Tube> bloodVessels = new ArrayList<>(aorta);
        bloodVessels.add(new Tube(TubeKind.AORTA, trunkBase, bifurcation, 13, 12));
        for (int side = 0; side < 2; side++) {
            bloodVessels.add(new Tube(TubeKind.AORTA, bifurcation,
                    new double[] {hilumX[side], hilumY[side], hilumZ[side]}, 10, 8));
        }
        bloodVessels.add(new Tube(TubeKind.AORTA, svcTop, svcBottom, 9, 9));
        structureTubes.addAll(bloodVessels);
        structureTubes.add(esophagus);
        structureTubes.add(trachea);
        lungExclusions.add(grown(trachea, 2));
        lungExclusions.add(grown(esophagus, 2));
        for (Tube t : bloodVessels) {
            lungExclusions.add(grown(t, 3));
        }
        for (int side = 0; side < 2; side++) {
            double radius = side == 0 ? 6 : 5.5;
            Tube bronchus = new Tube(TubeKind.AIRWAY, carina,
                    new double[] {hilumX[side], hilumY[side], hilumZ[side]}, radius, radius);
            structureTubes.add(bronchus);
            lungExclusions.add(grown(bronchus, 2));
        }
    }

    private static Tube grown(Tube t, double marginMm) {
        return new Tube(t.kind, t.pointAt(0), t.pointAt(1), t.r0 + marginMm, t.r1 + marginMm);
    }

    /**
     * Twelve rib pairs. Rib n starts beside the spine at {@code rib1Z - n * pitch} and runs round the
     * ellipse 1.5 mm plus a rib radius outside the pleural cavity at its height (rib 1 at 0.85 of it),
     * dropping linearly towards its front end: ribs 1-7 reach the sternum, 8-10 end anterolaterally,
     * 11-12 float. The last 22% of ribs 1-10 is cartilage.
     */
    private void buildRibs() {
        double anterior = cavityAnteriorMm + ribRadiusMm + 1.5;
        double posterior = cavityPosteriorMm + ribRadiusMm + 1.5;
        double ax = cavityHalfWidthMm + ribRadiusMm + 1.5;
        double start = StrictMath.acos((vertebraRadiusMm + 10) / ax);
        double sternalEnd = -StrictMath.acos(18 / ax);
        double[] ends = {sternalEnd, sternalEnd, sternalEnd, sternalEnd, sternalEnd, sternalEnd, sternalEnd,
            -0.9, -0.7, -0.5, 0.1, 0.3};
        for (int n = 0; n < RIB_PAIRS; n++) {
            double scale = n == 0 ? 0.85 : 1;
            double zStart = rib1Z - n * ribPitchMm;
            double drop = ribDropMm * (start - ends[n]) / (start - sternalEnd);
            for (int side = 0; side < 2; side++) {
                double[] previous = null;
                for (int s = 0; s <= RIB_SEGMENTS; s++) {
                    double f = (double) s / RIB_SEGMENTS;
                    double theta = start + (ends[n] - start) * f;
                    double sin = StrictMath.sin(theta);
                    double z = zStart - drop * f;
                    double halfWidth = cavityHalfWidthAt(z) + ribRadiusMm + 1.5;
                    double[] p = {cx + sideSign(side) * scale * halfWidth * StrictMath.cos(theta),
                        yc + scale * (sin > 0 ? posterior : anterior) * sin, z};
                    if (previous != null) {
                        TubeKind kind = n < 10 && f > 0.78 ? TubeKind.CARTILAGE : TubeKind.RIB;
                        structureTubes.add(new Tube(kind, previous, p, ribRadiusMm, ribRadiusMm));
                    }
                    previous = p;
                }
            }
        }
    }
}
