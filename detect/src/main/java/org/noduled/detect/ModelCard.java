package org.noduled.detect;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.noduled.preprocess.HuWindow;
import org.noduled.preprocess.SlabSpec;

/**
 * A model card ({@code models/<file>.card.json}, format {@value #FORMAT}, see models/CARD-FORMAT.md):
 * the contract between the model and the runtime. Every preprocessing and decoding value is taken from
 * here, never assumed. Descriptive fields (normalisation, resampling, units) are not read: their meaning
 * is the format's.
 *
 * @param cardPath where the card was read from; {@code file} is resolved against its folder
 */
public record ModelCard(String name, String variant, String version, String file, String sha256,
        String intendedUse, Input input, Slabs slabs, Output output, Decode decode, Path cardPath) {

    static final String FORMAT = "noduled-model-card/1";

    public ModelCard {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(slabs, "slabs");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(decode, "decode");
        Objects.requireNonNull(cardPath, "cardPath");
    }

    /**
     * @param tile [rows, columns] of the tile the model was trained on, resampled pixels
     */
    public record Input(String tensor, int depth, double pixelSpacingMm, double sliceSpacingMm, int inPlaneMultiple,
            int tileRows, int tileColumns, double huLow, double huHigh) {
    }

    public record Slabs(int stride) {
    }

    /** Output tensor names, in-plane stride, and the regression channels in the order the model emits them. */
    public record Output(String heatmap, String regression, int stride, List<String> regressionChannels) {

        static final List<String> REQUIRED_CHANNELS = List.of("dx", "dy", "dz", "diameterMm");

        public Output {
            regressionChannels = List.copyOf(regressionChannels);
        }

        /** Index of a regression channel by its card name (dx, dy, dz, diameterMm). */
        int channel(String channelName) {
            int index = regressionChannels.indexOf(channelName);
            if (index < 0) {
                throw new IllegalArgumentException("no regression channel " + channelName + " in " + regressionChannels);
            }
            return index;
        }
    }

    public record Decode(int peakWindow, double scoreThreshold, double operatingPointScore, double nmsDistanceFactor,
            int maxFindings) {
    }

    /**
     * Reads and validates a card; every missing or invalid field is named in one message.
     *
     * @throws ModelException if the card is missing, not JSON, incomplete or inconsistent
     */
    public static ModelCard read(Path cardJson) {
        return CardReader.read(cardJson);
    }

    /** The ONNX file this card describes. */
    Path modelFile() {
        return cardPath.toAbsolutePath().getParent().resolve(file);
    }

    /** What findings name as their producer. */
    ModelIdentity identity() {
        return new ModelIdentity(name, version, variant, sha256);
    }

    /** The preprocessing this model needs, in the preprocess module's terms. */
    SlabSpec slabSpec() {
        return new SlabSpec(input.pixelSpacingMm(), input.sliceSpacingMm(), new HuWindow(input.huLow(), input.huHigh()),
                input.depth(), slabs.stride(), input.tileRows(), input.tileColumns(), input.inPlaneMultiple());
    }
}
