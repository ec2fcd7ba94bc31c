package org.noduled.preprocess.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/**
 * A synthetic chest CT (synthetic, not for clinical use): the plan drawn from a {@link PhantomSpec} (anatomy,
 * vessel trees, nodules) and the rendering of it into a {@link CtVolume}.
 *
 * <p>Planning is sequential and cheap; rendering is per slice, each slice a pure function of the plan and
 * its index, so any thread count gives the same voxels. The specification a port must follow is
 * {@code test-data/README.md}.
 */
public final class Phantom {

    /** Bumped whenever the same spec would give different voxels; part of every UID. */
    public static final int GENERATOR_VERSION = 1;

    final PhantomSpec spec;
    final VolumeGeometry geometry;
    final Anatomy anatomy;
    final List<Tube> vessels;
    final List<NoduleBody> nodules;
    private final PhantomUids uids;

    private Phantom(PhantomSpec spec) {
        this.spec = spec;
        this.geometry = geometryOf(spec);
        this.anatomy = new Anatomy(spec.seed());
        this.vessels = VesselTrees.grow(anatomy, spec.seed());
        this.nodules = NodulePlacer.place(anatomy, vessels, geometry, spec);
        this.uids = new PhantomUids(spec);
    }

    /**
     * Draws the phantom's anatomy, vessels and nodules.
     *
     * @throws IllegalArgumentException when the scanned volume holds too little lung for the nodules
     */
    public static Phantom plan(PhantomSpec spec) {
        return new Phantom(spec);
    }

    /** Axial, LPS, centred on the patient origin: rows along +x, columns along +y, slices up along +z. */
    static VolumeGeometry geometryOf(PhantomSpec spec) {
        double px = spec.pixelSpacingMm();
        double dz = spec.sliceSpacingMm();
        Vec3 origin = new Vec3(-(spec.columns() - 1) / 2.0 * px, -(spec.rows() - 1) / 2.0 * px,
                -(spec.slices() - 1) / 2.0 * dz);
        return VolumeGeometry.axial(spec.columns(), spec.rows(), spec.slices(), origin, new Vec3(px, px, dz));
    }

    public PhantomSpec spec() {
        return spec;
    }

    public VolumeGeometry geometry() {
        return geometry;
    }

    public PhantomUids uids() {
        return uids;
    }

    /** The planted nodules in id order. */
    public List<PlantedNodule> nodules() {
        List<PlantedNodule> truth = new ArrayList<>();
        for (NoduleBody body : nodules) {
            truth.add(body.truth);
        }
        return truth;
    }

    /** Whether a patient point (LPS mm) lies inside a lung (parenchyma, vessel or nodule). */
    public boolean inLung(Vec3 pointMm) {
        return anatomy.inLung(pointMm.x(), pointMm.y(), pointMm.z());
    }

    /**
     * Renders every slice on {@code threads} threads and tallies the anatomy statistics.
     *
     * @return the volume (HU, short per voxel, slice UIDs from {@link #uids()}) and its statistics
     */
    public PhantomSeries render(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        int plane = geometry.columns() * geometry.rows();
        short[][] slices = new short[geometry.slices()][];
        AtomicInteger next = new AtomicInteger();
        SliceRenderer renderer = new SliceRenderer(this);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "phantom-render");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<StatsTally>> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                workers.add(pool.submit(() -> {
                    SliceRenderer.Scratch scratch = new SliceRenderer.Scratch(plane);
                    StatsTally tally = new StatsTally();
                    for (int k = next.getAndIncrement(); k < slices.length; k = next.getAndIncrement()) {
                        short[] hu = new short[plane];
                        renderer.render(k, hu, scratch);
                        tally.add(hu, scratch.labels);
                        slices[k] = hu;
                    }
                    return tally;
                }));
            }
            StatsTally total = new StatsTally();
            for (Future<StatsTally> worker : workers) {
                total.add(worker.get());
            }
            List<String> instanceUids = new ArrayList<>();
            for (int k = 0; k < slices.length; k++) {
                instanceUids.add(uids.instance(k));
            }
            CtVolume volume = new CtVolume(uids.series(), uids.frameOfReference(), geometry, slices, instanceUids);
            return new PhantomSeries(this, volume, total.toStats(nodules.size()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("phantom rendering interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("phantom rendering failed", cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Renders slice k alone: HU into {@code hu}, labels ({@link Tissue} codes) into {@code labels}. */
    void renderSlice(int k, short[] hu, byte[] labels) {
        SliceRenderer.Scratch scratch = new SliceRenderer.Scratch(hu.length);
        new SliceRenderer(this).render(k, hu, scratch);
        System.arraycopy(scratch.labels, 0, labels, 0, labels.length);
    }
}
