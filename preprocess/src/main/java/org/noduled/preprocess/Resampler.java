package org.noduled.preprocess;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Brings the lung box of a series onto the model's grid: crop first (only the box's rows and columns,
 * and only the source slices the resampled slices need, are ever touched), then in-plane resampling with
 * OpenCV (area average when shrinking, bilinear when enlarging), then linear interpolation between
 * slices, then the HU window. The window comes last, so clipping acts on resampled HU as in training.
 *
 * <p>The in-plane size is the box's, rounded up to the model's multiple by widening the box into real
 * neighbouring pixels where the image has them; beyond the image edge it is padded with the window's
 * low end. Along z the box is widened by half a slab plus one stride, so slabs at the lungs' ends see
 * real neighbours; slices are repeated only at the ends of the series.
 */
final class Resampler {

    /** Tolerance for "this resampled slice falls exactly on a source slice": spacing ratios are decimal. */
    private static final double ON_SLICE = 1e-6;

    private Resampler() {
    }

    static ResampledVolume resample(CtVolume volume, VoxelBox lungs, SlabSpec spec) {
        try (SliceWorkers callerOnly = new SliceWorkers(1)) {
            return resample(volume, lungs, spec, callerOnly);
        }
    }

    /** As {@link #resample(CtVolume, VoxelBox, SlabSpec)}, resampled slices shared out among the workers. */
    static ResampledVolume resample(CtVolume volume, VoxelBox lungs, SlabSpec spec, SliceWorkers workers) {
        NativeOpenCv.load();
        VolumeGeometry g = volume.geometry();
        Axis columns = Axis.inPlane(g.columns(), g.spacingMm().x(), lungs.i0(), lungs.i1(), spec);
        Axis rows = Axis.inPlane(g.rows(), g.spacingMm().y(), lungs.j0(), lungs.j1(), spec);
        double sourceSlicesPerSlice = spec.sliceSpacingMm() / g.spacingMm().z();
        int allSlices = (int) Math.floor((g.slices() - 1) / sourceSlicesPerSlice + ON_SLICE) + 1;
        int lungStart = Math.min(allSlices - 1, (int) Math.ceil(lungs.k0() / sourceSlicesPerSlice - ON_SLICE));
        int lungEnd = Math.max(lungStart + 1,
                Math.min(allSlices, (int) Math.floor((lungs.k1() - 1) / sourceSlicesPerSlice + ON_SLICE) + 1));
        int context = spec.depth() / 2 + spec.slabStride();
        int first = Math.max(0, lungStart - context);
        int end = Math.min(allSlices, lungEnd + context);

        VoxelMapping mapping = new VoxelMapping(columns.sourcePerPixel(), columns.sourceOffset(),
                rows.sourcePerPixel(), rows.sourceOffset(), sourceSlicesPerSlice, first * sourceSlicesPerSlice);
        float[][] slices = new float[end - first][];
        // Each part has its own scratch images; a source slice on a part boundary is resized by both.
        workers.forEachPart(slices.length, (partStart, partEnd) -> {
            InPlane inPlane = new InPlane(volume, columns, rows, spec.window());
            try {
                for (int t = partStart; t < partEnd; t++) {
                    slices[t] = interpolate(inPlane, (first + t) * sourceSlicesPerSlice, g.slices(), spec.window(),
                            columns.size() * rows.size());
                }
            } finally {
                inPlane.release();
            }
        });
        return new ResampledVolume(slices, columns.size(), rows.size(), mapping, lungStart - first,
                lungEnd - first, first);
    }

    /** One resampled slice at fractional source slice k: linear between its two neighbours, then windowed. */
    private static float[] interpolate(InPlane inPlane, double k, int sourceSlices, HuWindow window, int size) {
        int k0 = (int) Math.floor(k + ON_SLICE);
        double w = k - k0;
        boolean single = w < ON_SLICE || k0 >= sourceSlices - 1;
        short[] a = inPlane.slice(Math.min(k0, sourceSlices - 1));
        short[] b = single ? a : inPlane.slice(k0 + 1);
        float wb = single ? 0f : (float) w;
        float low = (float) window.lowHu();
        float scale = (float) (1.0 / (window.highHu() - window.lowHu()));
        float[] out = new float[size];
        for (int p = 0; p < size; p++) {
            float hu = a[p] + wb * (b[p] - a[p]);
            float v = (hu - low) * scale;
            out[p] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
        return out;
    }

    /**
     * One in-plane axis: the resampled size (a multiple of the model's) and the source pixels it reads.
     *
     * @param size     resampled pixels, a multiple of inPlaneMultiple
     * @param scale    resampled pixels per source pixel (OpenCV's fx or fy)
     * @param start    first source pixel read
     * @param length   source pixels read
     * @param resized  resampled pixels OpenCV writes (the rest, if any, is padding)
     */
    private record Axis(int size, double scale, int start, int length, int resized) {

        static Axis inPlane(int sourceSize, double sourceSpacingMm, int boxStart, int boxEnd, SlabSpec spec) {
            double scale = sourceSpacingMm / spec.pixelSpacingMm();
            int size = spec.roundUpToMultiple((int) Math.ceil((boxEnd - boxStart) * scale));
            // Widen the box to what the rounded-up size covers, centred, and kept inside the image.
            int length = Math.min(sourceSize, Math.max(1, (int) Math.floor(size / scale)));
            int start = Math.max(0, Math.min(sourceSize - length, boxStart - (length - (boxEnd - boxStart)) / 2));
            // OpenCV's own rounding (cvRound, half to even) of the size it derives from the scale.
            int resized = (int) Math.rint(length * scale);
            return new Axis(size, scale, start, length, Math.min(resized, size));
        }

        /** OpenCV maps resampled pixel centre u to source (u + 0.5) / scale - 0.5 within what it read. */
        double sourcePerPixel() {
            return 1 / scale;
        }

        double sourceOffset() {
            return start + 0.5 / scale - 0.5;
        }
    }

    /**
     * In-plane resampling of single source slices, OpenCV working directly in direct buffers; keeps the
     * last two results, since consecutive resampled slices share source neighbours.
     */
    private static final class InPlane {
        private final CtVolume volume;
        private final Axis columns;
        private final Axis rows;
        private final int interpolation;
        private final ShortBuffer source;
        private final Mat sourceMat;
        private final ShortBuffer resized;
        private final Mat resizedMat;
        private final Mat resizedRegion;
        private final long resizedAddress;
        /** Empty: OpenCV derives the output size from the scales; slice() checks it is the one Axis computed. */
        private final Size fromScales = new Size();
        private final short[][] cache = new short[2][];
        private final int[] cachedSlice = {-1, -1};
        private int nextSlot;

        InPlane(CtVolume volume, Axis columns, Axis rows, HuWindow window) {
            this.volume = volume;
            this.columns = columns;
            this.rows = rows;
            this.interpolation = columns.scale() <= 1 && rows.scale() <= 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
            ByteBuffer in = ByteBuffer.allocateDirect(columns.length() * rows.length() * Short.BYTES)
                    .order(ByteOrder.nativeOrder());
            this.source = in.asShortBuffer();
            this.sourceMat = new Mat(rows.length(), columns.length(), CvType.CV_16S, in);
            ByteBuffer out = ByteBuffer.allocateDirect(columns.size() * rows.size() * Short.BYTES)
                    .order(ByteOrder.nativeOrder());
            this.resized = out.asShortBuffer();
            short pad = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(window.lowHu())));
            for (int p = 0; p < resized.capacity(); p++) {
                resized.put(p, pad);
            }
            this.resizedMat = new Mat(rows.size(), columns.size(), CvType.CV_16S, out);
            this.resizedRegion = resizedMat.submat(0, rows.resized(), 0, columns.resized());
            this.resizedAddress = resizedRegion.dataAddr();
        }

        /** Source slice k resampled in-plane, HU, row-major columns.size() x rows.size(). */
        short[] slice(int k) {
            for (int s = 0; s < 2; s++) {
                if (cachedSlice[s] == k) {
                    return cache[s];
                }
            }
            short[] hu = volume.sliceHu(k);
            int sourceColumns = volume.geometry().columns();
            for (int r = 0; r < rows.length(); r++) {
                source.put(r * columns.length(), hu, (rows.start() + r) * sourceColumns + columns.start(),
                        columns.length());
            }
            Imgproc.resize(sourceMat, resizedRegion, fromScales, columns.scale(), rows.scale(), interpolation);
            if (resizedRegion.dataAddr() != resizedAddress) {
                // OpenCV derived another output size than Axis did and reallocated: the mapping would be wrong.
                throw new IllegalStateException("OpenCV resized " + columns.length() + "x" + rows.length()
                        + " to " + resizedRegion.cols() + "x" + resizedRegion.rows() + ", expected "
                        + columns.resized() + "x" + rows.resized());
            }
            int slot = nextSlot;
            nextSlot = 1 - nextSlot;
            if (cache[slot] == null) {
                cache[slot] = new short[resized.capacity()];
            }
            resized.get(0, cache[slot]);
            cachedSlice[slot] = k;
            return cache[slot];
        }

        void release() {
            resizedRegion.release();
            resizedMat.release();
            sourceMat.release();
        }
    }
}
