package org.noduled.preprocess.phantom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.VolumeGeometry;

/**
 * Writes a phantom's side files: {@value #TRUTH} (the planted nodules), {@value #STATS} (anatomy
 * statistics) and, for the raw format, {@value #RAW} with {@value #RAW_HEADER}. Formats are specified in
 * test-data/README.md.
 */
public final class PhantomFiles {

    public static final String TRUTH = "truth.json";
    public static final String STATS = "stats.json";
    public static final String RAW = "volume.raw";
    public static final String RAW_HEADER = "volume.json";
    public static final String INTENDED_USE = "synthetic, not for clinical use";

    private PhantomFiles() {
    }

    /** Writes truth.json into {@code dir}; returns its path. */
    public static Path writeTruth(Path dir, Phantom phantom) throws IOException {
        VolumeGeometry g = phantom.geometry();
        JsonText json = new JsonText().beginObject()
                .field("format", "noduled-phantom-truth/1")
                .field("intendedUse", INTENDED_USE)
                .field("generatorVersion", Phantom.GENERATOR_VERSION);
        spec(json, phantom.spec());
        json.field("seriesInstanceUid", phantom.uids().series())
                .field("frameOfReferenceUid", phantom.uids().frameOfReference());
        geometry(json.beginObject("geometry"), g).endObject();
        json.beginArray("nodules");
        for (PlantedNodule n : phantom.nodules()) {
            json.beginObject()
                    .field("id", n.id())
                    .field("centerMm", n.centerMm().toArray(), 3)
                    .field("centerVoxel", g.toVoxel(n.centerMm()).toArray(), 3)
                    .field("diameterMm", n.diameterMm(), 3)
                    .field("type", n.type().jsonName())
                    .field("attachment", n.attachment().jsonName())
                    .field("hu", n.hu(), 1)
                    .field("coreDiameterMm", n.coreDiameterMm(), 3)
                    .field("coreHu", n.coreHu(), 1)
                    .endObject();
        }
        json.endArray().endObject();
        return write(dir.resolve(TRUTH), json);
    }

    /** Writes stats.json into {@code dir}; returns its path. */
    public static Path writeStats(Path dir, PhantomSeries series) throws IOException {
        PhantomStats s = series.stats();
        JsonText json = new JsonText().beginObject()
                .field("format", "noduled-phantom-stats/1")
                .field("intendedUse", INTENDED_USE)
                .field("seed", series.phantom().spec().seed())
                .field("seriesInstanceUid", series.volume().seriesInstanceUid())
                .field("definition", "final HU (after blur, noise, rounding and clamping to -1024..3071) over the"
                        + " voxels of each label; std is the population standard deviation");
        json.beginObject("tissues");
        tissue(json, "lungParenchyma", s.lungParenchyma());
        tissue(json, "softTissue", s.softTissue());
        tissue(json, "fat", s.fat());
        tissue(json, "bone", s.bone());
        json.endObject()
                .field("lungFieldVoxels", s.lungFieldVoxels())
                .field("vesselVoxels", s.vesselVoxels())
                .field("vesselFractionInLungs", s.vesselFractionInLungs(), 6)
                .beginArray("nodules");
        for (PhantomStats.NoduleStats n : s.nodules()) {
            json.beginObject().field("id", n.id()).field("voxels", n.voxels()).field("meanHu", n.meanHu(), 2).endObject();
        }
        json.endArray().endObject();
        return write(dir.resolve(STATS), json);
    }

    /**
     * Writes volume.raw (int16 little-endian HU, slice k, then row j, then column i: numpy shape
     * (slices, rows, columns)) and volume.json into {@code dir}; returns both paths.
     */
    public static List<Path> writeRaw(Path dir, CtVolume volume) throws IOException {
        VolumeGeometry g = volume.geometry();
        Path raw = dir.resolve(RAW);
        ByteBuffer buffer = ByteBuffer.allocate(g.columns() * g.rows() * 2).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int k = 0; k < g.slices(); k++) {
                buffer.clear();
                buffer.asShortBuffer().put(volume.sliceHu(k));
                buffer.limit(buffer.capacity());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
        JsonText json = new JsonText().beginObject()
                .field("format", "noduled-phantom-volume/1")
                .field("intendedUse", INTENDED_USE)
                .field("file", RAW)
                .field("dtype", "int16")
                .field("byteOrder", "little-endian")
                .field("units", "HU")
                .field("layout", "slice k, then row j, then column i (numpy shape [slices, rows, columns])");
        geometry(json, g)
                .field("seriesInstanceUid", volume.seriesInstanceUid())
                .field("frameOfReferenceUid", volume.frameOfReferenceUid())
                .endObject();
        return List.of(raw, write(dir.resolve(RAW_HEADER), json));
    }

    private static void spec(JsonText json, PhantomSpec spec) {
        json.field("seed", spec.seed())
                .beginObject("spec")
                .field("columns", spec.columns())
                .field("rows", spec.rows())
                .field("slices", spec.slices())
                .field("pixelSpacingMm", spec.pixelSpacingMm(), 4)
                .field("sliceSpacingMm", spec.sliceSpacingMm(), 4)
                .field("nodules", spec.noduleCountText())
                .field("noiseHu", spec.noiseHu(), 2)
                .endObject();
    }

    private static JsonText geometry(JsonText json, VolumeGeometry g) {
        return json.field("columns", g.columns())
                .field("rows", g.rows())
                .field("slices", g.slices())
                .field("spacingMm", g.spacingMm().toArray(), 4)
                .field("originMm", g.originMm().toArray(), 4)
                .field("rowDirection", g.rowDirection().toArray(), 4)
                .field("columnDirection", g.columnDirection().toArray(), 4)
                .field("sliceDirection", g.sliceDirection().toArray(), 4);
    }

    private static void tissue(JsonText json, String name, PhantomStats.TissueStats t) {
        json.beginObject(name).field("voxels", t.voxels()).field("meanHu", t.meanHu(), 2)
                .field("stdHu", t.stdHu(), 2).endObject();
    }

    private static Path write(Path file, JsonText json) throws IOException {
        return Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
    }
}
