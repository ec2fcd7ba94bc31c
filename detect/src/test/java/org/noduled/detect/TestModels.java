package org.noduled.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The tiny hand-set model of src/test/python/make_test_models.py and its card, copied into a test's
 * folder, optionally with the card edited to disagree with the model.
 */
final class TestModels {

    static final String ONNX = "tiny-2p5d.onnx";
    static final String CARD = "tiny-2p5d.card.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestModels() {
    }

    /** Copies model and card into {@code dir}; returns the card's path. */
    static Path tiny(Path dir) {
        return tiny(dir, card -> { });
    }

    /** Copies the model, and the card after {@code edit}, into {@code dir}; returns the card's path. */
    static Path tiny(Path dir, Consumer<ObjectNode> edit) {
        try {
            Files.write(dir.resolve(ONNX), resource(ONNX));
            ObjectNode card = (ObjectNode) JSON.readTree(resource(CARD));
            edit.accept(card);
            Path cardPath = dir.resolve(CARD);
            JSON.writerWithDefaultPrettyPrinter().writeValue(cardPath.toFile(), card);
            return cardPath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TestModels.class.getResourceAsStream("/models/" + name)) {
            if (in == null) {
                throw new IOException("test resource /models/" + name + " missing: run make_test_models.py");
            }
            return in.readAllBytes();
        }
    }

    static ObjectNode section(ObjectNode card, String name) {
        return (ObjectNode) card.get(name);
    }
}
