package org.noduled.preprocess;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Finds the box around both lungs, so no compute is spent on air, table or tissue outside the lungs.
 *
 * <p>Works on a coarse grid (about {@value #ANALYSIS_PIXEL_MM} mm pixels, one slice every
 * {@value #ANALYSIS_SLICE_MM} mm): lungs are over 100 mm across, so the box is found in milliseconds
 * and a margin covers the coarseness. Per analysis slice: tissue is HU &ge; {@value #TISSUE_THRESHOLD_HU};
 * a morphological opening detaches the table and thin pads; the body is the largest connected tissue
 * component; everything else that the image border reaches without crossing the body (outside air, the
 * table and the air inside a hollow table) is outside; the lungs are the air left inside.
 */
final class LungCrop {

    /** Lungs are about -850 HU, fat -100, soft tissue +40: -400 separates air from tissue despite noise. */
    static final int TISSUE_THRESHOLD_HU = -400;
    static final double ANALYSIS_PIXEL_MM = 3.5;
    static final double ANALYSIS_SLICE_MM = 5.0;
    /** Detaches the table and mattress (thin, or joined to the back by a thin strip) from the body. */
    static final double BODY_OPENING_MM = 5.0;
    /** Enclosed air smaller than this (trachea branches, small gas bubbles) does not make a lung. */
    static final double MIN_LUNG_AREA_MM2 = 100.0;
    /** Added around the lungs: juxtapleural nodules and the model's context lie at the lung border. */
    static final double MARGIN_MM = 10.0;

    private LungCrop() {
    }

    /**
     * The box (source voxel indices, margin included, clipped to the volume) holding both lungs.
     *
     * @throws VolumeException if no slice shows lungs
     */
    static VoxelBox find(CtVolume volume) {
        try (SliceWorkers callerOnly = new SliceWorkers(1)) {
            return find(volume, callerOnly);
        }
    }

    /** As {@link #find(CtVolume)}, the analysis slices shared out among the workers. */
    static VoxelBox find(CtVolume volume, SliceWorkers workers) {
        NativeOpenCv.load();
        VolumeGeometry g = volume.geometry();
        int factorI = Math.max(1, (int) Math.floor(ANALYSIS_PIXEL_MM / g.spacingMm().x()));
        int factorJ = Math.max(1, (int) Math.floor(ANALYSIS_PIXEL_MM / g.spacingMm().y()));
        int step = Math.max(1, (int) Math.round(ANALYSIS_SLICE_MM / g.spacingMm().z()));
        int[] analysed = analysisSlices(step, g.slices());
        int[][] boxes = new int[analysed.length][];
        workers.forEachPart(analysed.length, (start, end) -> {
            SliceAnalysis analysis = new SliceAnalysis(g, factorI, factorJ);
            try {
                for (int n = start; n < end; n++) {
                    boxes[n] = analysis.lungBox(volume.sliceHu(analysed[n]));
                }
            } finally {
                analysis.release();
            }
        });
        int i0 = Integer.MAX_VALUE;
        int i1 = -1;
        int j0 = Integer.MAX_VALUE;
        int j1 = -1;
        int k0 = Integer.MAX_VALUE;
        int k1 = -1;
        for (int n = 0; n < analysed.length; n++) {
            int[] box = boxes[n];
            if (box != null) {
                i0 = Math.min(i0, box[0] * factorI);
                i1 = Math.max(i1, (box[0] + box[2]) * factorI);
                j0 = Math.min(j0, box[1] * factorJ);
                j1 = Math.max(j1, (box[1] + box[3]) * factorJ);
                k0 = Math.min(k0, analysed[n]);
                k1 = Math.max(k1, analysed[n] + 1);
            }
        }
        if (k1 < 0) {
            throw VolumeException.forSeries(volume.seriesInstanceUid(),
                    "no lungs found (no air region below " + TISSUE_THRESHOLD_HU + " HU enclosed by the body in "
                            + g.slices() + " slices)",
                    "check that the series is a chest CT in HU with the lungs in the field of view");
        }
        int mi = (int) Math.ceil(MARGIN_MM / g.spacingMm().x());
        int mj = (int) Math.ceil(MARGIN_MM / g.spacingMm().y());
        // Lungs may reach up to one analysis step beyond the outermost slice that showed them.
        int mk = (int) Math.ceil(MARGIN_MM / g.spacingMm().z()) + step - 1;
        return new VoxelBox(Math.max(0, i0 - mi), Math.min(g.columns(), i1 + mi),
                Math.max(0, j0 - mj), Math.min(g.rows(), j1 + mj),
                Math.max(0, k0 - mk), Math.min(g.slices(), k1 + mk));
    }

    /** Every step-th slice, and always the last one, so the lungs' extent is never cut short. */
    private static int[] analysisSlices(int step, int slices) {
        int[] analysed = new int[(slices - 1) / step + ((slices - 1) % step == 0 ? 1 : 2)];
        for (int n = 0; n < analysed.length; n++) {
            analysed[n] = Math.min(n * step, slices - 1);
        }
        return analysed;
    }

    /** Scratch images for one volume's analysis slices; OpenCV native buffers reused slice to slice. */
    private static final class SliceAnalysis {
        private final double pixelAreaMm2;
        private final ShortBuffer sliceBuffer;
        private final Mat slice;
        private final Mat small = new Mat();
        private final Mat tissue = new Mat();
        private final Mat notBody = new Mat();
        private final Mat bordered = new Mat();
        private final Mat floodMask = new Mat();
        private final Mat labels = new Mat();
        private final Mat stats = new Mat();
        private final Mat centroids = new Mat();
        private final Mat kernel;
        private final double factorI;
        private final double factorJ;

        SliceAnalysis(VolumeGeometry g, int factorI, int factorJ) {
            this.factorI = factorI;
            this.factorJ = factorJ;
            this.pixelAreaMm2 = g.spacingMm().x() * factorI * g.spacingMm().y() * factorJ;
            ByteBuffer bytes = ByteBuffer.allocateDirect(g.columns() * g.rows() * Short.BYTES)
                    .order(ByteOrder.nativeOrder());
            this.sliceBuffer = bytes.asShortBuffer();
            this.slice = new Mat(g.rows(), g.columns(), CvType.CV_16S, bytes);
            double analysisPixelMm = Math.min(g.spacingMm().x() * factorI, g.spacingMm().y() * factorJ);
            int size = Math.max(3, 2 * (int) Math.round(BODY_OPENING_MM / analysisPixelMm / 2) + 1);
            this.kernel = Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(size, size));
        }

        /** {left, top, width, height} of the lungs on the analysis grid, or null where none shows. */
        int[] lungBox(short[] hu) {
            sliceBuffer.put(0, hu);
            // Nearest sampling: a -400 HU threshold between lung (-850) and tissue needs no anti-aliasing at
            // this pixel size, and it is ten times cheaper than area averaging the whole slice.
            Imgproc.resize(slice, small, new Size(), 1 / factorI, 1 / factorJ, Imgproc.INTER_NEAREST);
            Core.compare(small, new Scalar(TISSUE_THRESHOLD_HU), tissue, Core.CMP_GE);
            Imgproc.morphologyEx(tissue, tissue, Imgproc.MORPH_OPEN, kernel);
            int body = largestComponent(tissue);
            if (body < 0) {
                return null;
            }
            Core.compare(labels, new Scalar(body), notBody, Core.CMP_NE);
            // A ring of "outside" around the image joins every region the border reaches; one 4-connected
            // flood from the ring clears them (a body wall joined only diagonally still stops it).
            Core.copyMakeBorder(notBody, bordered, 1, 1, 1, 1, Core.BORDER_CONSTANT, new Scalar(255));
            // floodFill keeps its mask between calls and never refills a marked pixel: start empty each slice.
            floodMask.release();
            Imgproc.floodFill(bordered, floodMask, new Point(0, 0), new Scalar(0));
            Mat enclosed = bordered.submat(1, bordered.rows() - 1, 1, bordered.cols() - 1);
            Core.compare(small, new Scalar(TISSUE_THRESHOLD_HU), tissue, Core.CMP_LT);
            Core.bitwise_and(tissue, enclosed, tissue);
            enclosed.release();
            return airBox(Imgproc.connectedComponentsWithStats(tissue, labels, stats, centroids, 8, CvType.CV_32S));
        }

        /** Label (in {@link #labels}) of the largest 8-connected component of a mask, or -1. */
        private int largestComponent(Mat mask) {
            int n = Imgproc.connectedComponentsWithStats(mask, labels, stats, centroids, 8, CvType.CV_32S);
            int best = -1;
            int bestArea = 0;
            for (int label = 1; label < n; label++) {
                int area = stat(label, Imgproc.CC_STAT_AREA);
                if (area > bestArea) {
                    bestArea = area;
                    best = label;
                }
            }
            return best;
        }

        /** Union box of the enclosed air components large enough to be lung, or null. */
        private int[] airBox(int components) {
            int left = Integer.MAX_VALUE;
            int top = Integer.MAX_VALUE;
            int right = -1;
            int bottom = -1;
            for (int c = 1; c < components; c++) {
                if (stat(c, Imgproc.CC_STAT_AREA) * pixelAreaMm2 < MIN_LUNG_AREA_MM2) {
                    continue;
                }
                int x = stat(c, Imgproc.CC_STAT_LEFT);
                int y = stat(c, Imgproc.CC_STAT_TOP);
                left = Math.min(left, x);
                top = Math.min(top, y);
                right = Math.max(right, x + stat(c, Imgproc.CC_STAT_WIDTH));
                bottom = Math.max(bottom, y + stat(c, Imgproc.CC_STAT_HEIGHT));
            }
            return right < 0 ? null : new int[] {left, top, right - left, bottom - top};
        }

        private int stat(int label, int column) {
            return (int) stats.get(label, column)[0];
        }

        void release() {
            for (Mat m : new Mat[] {slice, small, tissue, notBody, bordered, floodMask, labels, stats, centroids, kernel}) {
                m.release();
            }
        }
    }
}
