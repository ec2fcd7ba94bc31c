package org.noduled.detect;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.PreparedVolume;
import org.noduled.preprocess.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds nodules in CT volumes with one model. {@link #open} does every check up front (card complete,
 * file present with the card's SHA-256, inputs and outputs as the card says, execution provider
 * installed, one warm-up run), so a bad model stops start-up rather than the first series.
 *
 * <p>One series at a time: buffers are reused between series, so {@link #detect} is synchronized. Not
 * for clinical use: the reference models are trained on synthetic phantoms.
 */
public final class Detector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);

    private final ModelCard card;
    private final DetectorConfig config;
    private final ModelSession model;
    private final Preprocessor preprocessor;
    private final SlabInference inference;
    private final HeatmapDecoder decoder;
    private final LongSupplier nanoClock;
    private boolean closed;

    private Detector(ModelCard card, DetectorConfig config, ModelSession model, LongSupplier nanoClock) {
        this.card = card;
        this.config = config;
        this.model = model;
        this.nanoClock = nanoClock;
        // Preprocessing runs before inference, never beside it: the same cores serve both in turn.
        this.preprocessor = new Preprocessor(card.slabSpec(), config.intraOpThreads());
        this.inference = new SlabInference(model, card, config.batchSize());
        this.decoder = new HeatmapDecoder(card);
    }

    /** Opens the model described by a card, timing stages with {@link System#nanoTime}. */
    public static Detector open(Path cardPath, DetectorConfig config) {
        return open(cardPath, config, System::nanoTime);
    }

    /**
     * @param nanoClock the clock stages are timed with (nanoseconds; tests pass a fake)
     * @throws ModelException if the card, the file, the session or the requested provider is not usable
     */
    public static Detector open(Path cardPath, DetectorConfig config, LongSupplier nanoClock) {
        return open(cardPath, config, nanoClock, OrtEnvironment.getAvailableProviders());
    }

    /** As {@link #open(Path, DetectorConfig, LongSupplier)}, against a given set of installed providers. */
    static Detector open(Path cardPath, DetectorConfig config, LongSupplier nanoClock, Set<OrtProvider> available) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(nanoClock, "nanoClock");
        ModelCard card = ModelCard.read(cardPath);
        ModelSession model = ModelSession.open(card, config, available, LOG::warn);
        Detector detector = new Detector(card, config, model, nanoClock);
        try {
            detector.inference.warmUp();
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
        LOG.info("model {} {} ({}) ready on {} with {} intra-op threads, batch {}; synthetic, not for clinical use",
                card.name(), card.version(), card.variant(), model.providers().effective().label(),
                config.intraOpThreads(), config.batchSize());
        return detector;
    }

    /** Detects nodules in one series, no listener. */
    public Detection detect(CtVolume volume) {
        return detect(volume, StageListener.NONE);
    }

    /**
     * Detects nodules in one series: the whole pipeline, each stage timed here by the chain.
     *
     * @throws org.noduled.preprocess.VolumeException if the series cannot be prepared (no lungs, ...)
     * @throws ModelException                         if ONNX Runtime fails
     */
    public synchronized Detection detect(CtVolume volume, StageListener listener) {
        checkOpen();
        StageChain chain = new StageChain(volume.seriesInstanceUid(), nanoClock, listener);
        PreparedVolume prepared = chain.run(Stage.PREPROCESS, () -> preprocessor.prepare(volume));
        SlabOutputs outputs = chain.run(Stage.INFER, () -> inference.run(prepared));
        List<Finding> findings = chain.run(Stage.DECODE, () -> decoder.decode(prepared, outputs));
        return new Detection(new SeriesFindings(volume.seriesInstanceUid(), volume.frameOfReferenceUid(),
                card.identity(), findings), chain.timings(), outputs.windows());
    }

    public ModelCard card() {
        return card;
    }

    public DetectorConfig config() {
        return config;
    }

    /** The provider the model actually runs on (after any fallback). */
    public ExecutionProvider executionProvider() {
        return model.providers().effective();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("detector for model " + card.name() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            preprocessor.close();
            model.close();
        }
    }
}
