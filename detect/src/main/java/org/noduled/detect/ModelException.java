package org.noduled.detect;

/**
 * The model cannot be used: missing, corrupt or swapped file, a card that is incomplete or disagrees
 * with the file, an execution provider that is not installed under {@code strict}, or a failure inside
 * ONNX Runtime. The message says what was expected, what was found and what to do. Unchecked, so stages
 * compose as plain functions; start-up failures surface from {@link Detector#open}.
 */
public final class ModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
