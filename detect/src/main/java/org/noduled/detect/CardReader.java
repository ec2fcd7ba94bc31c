package org.noduled.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a card's JSON, collecting every missing and invalid field before failing, so one run tells the
 * model's author everything to fix.
 */
final class CardReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final List<String> missing = new ArrayList<>();
    private final List<String> invalid = new ArrayList<>();

    private CardReader(JsonNode root) {
        this.root = root;
    }

    static ModelCard read(Path cardJson) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(cardJson));
        } catch (NoSuchFileException e) {
            throw new ModelException("model card " + cardJson + " does not exist; copy the .card.json shipped "
                    + "beside the .onnx file (both come from the same models/ release)");
        } catch (JsonProcessingException e) {
            throw new ModelException("model card " + cardJson + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelException("model card " + cardJson + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException("model card " + cardJson + " must be a JSON object (see models/CARD-FORMAT.md)");
        }
        return new CardReader(root).card(cardJson);
    }

    private ModelCard card(Path cardJson) {
        String format = text("format");
        if (format != null && !format.equals(ModelCard.FORMAT)) {
            invalid.add("format is \"" + format + "\", this runtime reads \"" + ModelCard.FORMAT + "\"");
        }
        String name = text("name");
        String variant = text("variant");
        String version = text("version");
        String file = text("file");
        String sha256 = text("sha256");
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            invalid.add("sha256 must be 64 hex digits, got \"" + sha256 + "\"");
        }
        ModelCard.Input input = input();
        ModelCard.Slabs slabs = new ModelCard.Slabs(positive("slabs.stride"));
        ModelCard.Output output = output(input);
        ModelCard.Decode decode = decode();
        ModelCard card = new ModelCard(name, variant, version, file,
                sha256 == null ? null : sha256.toLowerCase(Locale.ROOT), optionalText("intendedUse"), input, slabs,
                output, decode, cardJson);
        if (!missing.isEmpty() || !invalid.isEmpty()) {
            List<String> problems = new ArrayList<>();
            if (!missing.isEmpty()) {
                problems.add("missing " + String.join(", ", missing));
            }
            problems.addAll(invalid);
            throw new ModelException("model card " + cardJson + " is not usable: " + String.join("; ", problems)
                    + " (every field of models/CARD-FORMAT.md is required; ask the model's author for a complete card)");
        }
        return card;
    }

    private ModelCard.Input input() {
        String layout = text("input.layout");
        if (layout != null && !layout.equals("NCHW")) {
            invalid.add("input.layout is \"" + layout + "\", only NCHW is supported");
        }
        int depth = positive("input.depth");
        if (depth > 0 && depth % 2 == 0) {
            invalid.add("input.depth must be odd (the slab is centred on a slice), got " + depth);
        }
        int multiple = positive("input.inPlaneMultiple");
        double[] tile = numbers("input.tile", 2);
        double[] window = numbers("input.huWindow", 2);
        int tileRows = tile == null ? 0 : (int) tile[0];
        int tileColumns = tile == null ? 0 : (int) tile[1];
        if (tile != null && multiple > 0 && (tileRows <= 0 || tileColumns <= 0 || tileRows != tile[0]
                || tileColumns != tile[1] || tileRows % multiple != 0 || tileColumns % multiple != 0)) {
            invalid.add("input.tile must be two positive integers, multiples of input.inPlaneMultiple (" + multiple
                    + "), got [" + tile[0] + ", " + tile[1] + "]");
        }
        if (window != null && !(window[0] < window[1])) {
            invalid.add("input.huWindow must be [low, high] with low < high, got [" + window[0] + ", " + window[1] + "]");
        }
        return new ModelCard.Input(text("input.tensor"), depth, positiveNumber("input.pixelSpacingMm"),
                positiveNumber("input.sliceSpacingMm"), multiple, tileRows, tileColumns,
                window == null ? 0 : window[0], window == null ? 1 : window[1]);
    }

    private ModelCard.Output output(ModelCard.Input input) {
        int stride = positive("output.stride");
        if (stride > 0 && input.inPlaneMultiple() > 0 && input.inPlaneMultiple() % stride != 0) {
            invalid.add("output.stride " + stride + " must divide input.inPlaneMultiple " + input.inPlaneMultiple()
                    + " so every tile maps to whole output cells");
        }
        List<String> channels = texts("output.regressionChannels");
        for (String required : ModelCard.Output.REQUIRED_CHANNELS) {
            if (channels != null && !channels.contains(required)) {
                invalid.add("output.regressionChannels " + channels + " lacks \"" + required + "\"");
            }
        }
        return new ModelCard.Output(text("output.heatmap"), text("output.regression"), stride,
                channels == null ? List.of() : channels);
    }

    private ModelCard.Decode decode() {
        int peakWindow = positive("decode.peakWindow");
        if (peakWindow > 0 && peakWindow % 2 == 0) {
            invalid.add("decode.peakWindow must be odd (centred on the peak), got " + peakWindow);
        }
        return new ModelCard.Decode(peakWindow, probability("decode.scoreThreshold"),
                probability("decode.operatingPointScore"), positiveNumber("decode.nmsDistanceFactor"),
                positive("decode.maxFindings"));
    }

    private JsonNode node(String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        if (n == null || n.isNull()) {
            missing.add(path);
            return null;
        }
        return n;
    }

    private String text(String path) {
        JsonNode n = node(path);
        if (n == null) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            invalid.add(path + " must be a non-empty string, got " + n);
            return null;
        }
        return n.asText();
    }

    private String optionalText(String path) {
        JsonNode n = root.get(path);
        return n == null || !n.isTextual() ? "" : n.asText();
    }

    private int positive(String path) {
        JsonNode n = node(path);
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber() || n.asInt() < 1) {
            invalid.add(path + " must be a positive integer, got " + n);
            return 0;
        }
        return n.asInt();
    }

    private double positiveNumber(String path) {
        JsonNode n = node(path);
        if (n == null) {
            return 1;
        }
        if (!n.isNumber() || !(n.asDouble() > 0)) {
            invalid.add(path + " must be a positive number, got " + n);
            return 1;
        }
        return n.asDouble();
    }

    private double probability(String path) {
        JsonNode n = node(path);
        if (n == null) {
            return 0;
        }
        if (!n.isNumber() || !(n.asDouble() >= 0 && n.asDouble() <= 1)) {
            invalid.add(path + " must be a number in 0..1, got " + n);
            return 0;
        }
        return n.asDouble();
    }

    private double[] numbers(String path, int count) {
        JsonNode n = node(path);
        if (n == null) {
            return null;
        }
        if (!n.isArray() || n.size() != count) {
            invalid.add(path + " must be an array of " + count + " numbers, got " + n);
            return null;
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            if (!n.get(i).isNumber()) {
                invalid.add(path + " must be an array of " + count + " numbers, got " + n);
                return null;
            }
            values[i] = n.get(i).asDouble();
        }
        return values;
    }

    private List<String> texts(String path) {
        JsonNode n = node(path);
        if (n == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> values.add(e.isTextual() ? e.asText() : null));
        }
        if (!n.isArray() || values.contains(null)) {
            invalid.add(path + " must be an array of strings, got " + n);
            return null;
        }
        return values;
    }
}
