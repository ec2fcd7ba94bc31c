package org.noduled.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.noduled.detect.Finding;
import org.noduled.detect.ModelCard;
import org.noduled.detect.ModelIdentity;
import org.noduled.dicom.DurableFile;
import org.noduled.preprocess.Vec3;

/**
 * {@code findings.json}: what the detector found in one series, every finding at or above the card's score
 * threshold with a flag for the operating point (the SR carries only the flagged ones), the model, the SR's
 * UID and the stage timings. Written after the report stage, so the timings it records are complete; its own
 * write is not part of the series' latency (which ends when the SR is fsynced).
 */
final class FindingsJson {

    static final String FORMAT = "noduled-findings/1";
    static final String INTENDED_USE = "synthetic-trained model, not for clinical use";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FindingsJson() {
    }

    static ObjectNode of(SeriesOutcome.Processed series, ModelCard card, SeriesReporter reporter,
            LatencyBudget budget) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("intendedUse", INTENDED_USE);
        root.put("seriesInstanceUid", series.seriesInstanceUid());
        root.put("frameOfReferenceUid", series.findings().frameOfReferenceUid());
        ModelIdentity model = series.findings().model();
        ObjectNode m = root.putObject("model");
        m.put("name", model.name());
        m.put("version", model.version());
        m.put("variant", model.variant());
        m.put("sha256", model.sha256());
        ObjectNode op = root.putObject("operatingPoint");
        op.put("score", reporter.operatingPointScore());
        op.put("scoreThreshold", card.decode().scoreThreshold());
        op.put("meaning", "findings.json lists every finding scoring >= scoreThreshold; those with "
                + "atOperatingPoint (score >= operatingPoint.score, where the card quotes its sensitivity) are the ones"
                + " the SR carries");
        ObjectNode sr = root.putObject("sr");
        sr.put("sopInstanceUid", series.report().srSopInstanceUid());
        sr.put("findings", series.report().srFindings());
        if (series.report().srFile() != null) {
            sr.put("file", series.report().srFile().getFileName().toString());
        }
        sr.put("queuedForPacs", series.report().queued());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : series.findings().findings()) {
            ObjectNode n = findings.addObject();
            vector(n.putArray("centerMm"), f.centerMm());
            vector(n.putArray("centerVoxel"), f.centerVoxel());
            n.put("diameterMm", round(f.diameterMm(), 2));
            n.put("score", round(f.score(), 4));
            n.put("nearestSliceUid", f.nearestSliceUid());
            n.put("atOperatingPoint", reporter.atOperatingPoint(f));
        }
        root.put("slabs", series.slabs());
        ObjectNode ms = root.putObject("timingsMs");
        for (PipelineStage stage : PipelineStage.values()) {
            ms.put(stage.label(), round(series.timings().millis(stage), 3));
        }
        ms.put("total", round(series.timings().totalMillis(), 3));
        ObjectNode latency = root.putObject("latency");
        latency.put("budgetMs", budget.budgetMillis());
        latency.put("withinBudget", budget.met(series.timings().totalMillis()));
        latency.put("verdict", budget.verdict(series.timings().totalMillis()));
        return root;
    }

    /** Writes the document so that a crash leaves the old file or the whole new one (temp, fsync, rename). */
    static void write(Path file, ObjectNode document) throws IOException {
        DurableFile.write(file, JSON.writeValueAsBytes(document));
    }

    private static void vector(ArrayNode array, Vec3 v) {
        array.add(round(v.x(), 3)).add(round(v.y(), 3)).add(round(v.z(), 3));
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
