package org.noduled.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * Training's own evaluation of a model on chosen phantom seeds, written by
 * {@code models/training/scripts/paired_accuracy.py}: the reference that {@code bench accuracy --paired} compares
 * the Java pipeline with on the same phantoms, so the difference is the pipeline's and not the sample's.
 *
 * @param cpm CPM over nodules >= 4 mm on these phantoms ({@code frocAll4mmPlus}; files written before it have none)
 */
record TrainingTally(long firstSeed, long lastSeed, double score, int nodules, int found, double fpPerScan,
        OptionalDouble cpm) {

    static TrainingTally read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode seeds = root.path("seeds");
        for (String field : new String[] {"operatingPointScore", "nodules4mm", "found", "fpPerScan"}) {
            if (!root.path(field).isNumber() || seeds.size() != 2) {
                throw new IOException(json + " is not an output of models/training/scripts/paired_accuracy.py"
                        + " (missing " + (seeds.size() != 2 ? "seeds" : field) + ")");
            }
        }
        return new TrainingTally(seeds.get(0).asLong(), seeds.get(1).asLong(), root.path("operatingPointScore").asDouble(),
                root.path("nodules4mm").asInt(), root.path("found").asInt(), root.path("fpPerScan").asDouble(),
                root.path("frocAll4mmPlus").path("cpm").isNumber()
                        ? OptionalDouble.of(root.path("frocAll4mmPlus").path("cpm").asDouble()) : OptionalDouble.empty());
    }

    double sensitivity() {
        return nodules == 0 ? Double.NaN : (double) found / nodules;
    }

    /** Why this reference cannot be paired with a Java run, or null when it can. */
    String mismatch(long javaFirstSeed, int count, double javaScore) {
        if (firstSeed != javaFirstSeed || lastSeed != javaFirstSeed + count - 1) {
            return "it covers seeds " + firstSeed + ".." + lastSeed + ", this run " + javaFirstSeed + ".."
                    + (javaFirstSeed + count - 1);
        }
        if (Math.abs(score - javaScore) > 1e-9) {
            return "it was tallied at score " + score + ", this run at " + javaScore;
        }
        return null;
    }
}
