package org.noduled.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a model card claims about accuracy, for comparing the Java pipeline against it: the operating-point
 * figures of the card's {@code metrics} block (descriptive, not read by the engine; see
 * models/training/nodtrain/cards.py) and the seed ranges the model was trained, validated and tested on, from
 * the human card ({@code .card.md}: "train 100000..100299, val ..., test ...").
 *
 * @param sensitivity   sensitivity at the operating point over nodules >= 4 mm, if the card states it
 * @param fpPerScan     false positives per scan at the operating point, if stated
 * @param cpm           CPM over nodules >= 4 mm (mean FROC sensitivity at 1/8..8 FP/scan), if stated
 * @param data          the card's description of the data the figures come from
 * @param seedRanges    split name to inclusive {first, last} seed, in the card's order; empty when unknown
 */
record CardFigures(OptionalDouble sensitivity, OptionalDouble fpPerScan, OptionalDouble cpm, String data,
        Map<String, long[]> seedRanges) {

    /** Nodules at least this large are the card's population (froc.py's "all4mmPlus"). */
    static final double MIN_DIAMETER_MM = 4.0;

    private static final Pattern RANGE = Pattern.compile("\\b(train|val|validation|test) (\\d+)\\.\\.(\\d+)");

    static CardFigures read(Path cardJson) throws IOException {
        JsonNode metrics = new ObjectMapper().readTree(cardJson.toFile()).path("metrics");
        JsonNode op = metrics.path("operatingPoint");
        Map<String, long[]> ranges = new LinkedHashMap<>();
        Path markdown = cardJson.resolveSibling(cardJson.getFileName().toString().replace(".card.json", ".card.md"));
        if (Files.isRegularFile(markdown)) {
            Matcher m = RANGE.matcher(Files.readString(markdown));
            while (m.find()) {
                ranges.putIfAbsent(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
            }
        }
        return new CardFigures(number(op.path("sensitivity4mmPlus")), number(op.path("fpPerScan")),
                number(metrics.path("cpmAll4mmPlus")), metrics.path("data").asText("not stated"), ranges);
    }

    /** The split whose seeds overlap [first, first + count), or null: such seeds would flatter the model. */
    String overlappingTrainingSplit(long first, int count) {
        long last = first + count - 1;
        for (Map.Entry<String, long[]> e : seedRanges.entrySet()) {
            boolean fitted = !e.getKey().equals("test");
            if (fitted && first <= e.getValue()[1] && last >= e.getValue()[0]) {
                return e.getKey() + " " + e.getValue()[0] + ".." + e.getValue()[1];
            }
        }
        return null;
    }

    private static OptionalDouble number(JsonNode n) {
        return n.isNumber() ? OptionalDouble.of(n.asDouble()) : OptionalDouble.empty();
    }
}
