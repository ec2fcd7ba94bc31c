package org.noduled.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns a failure into the one line an operator reads. The project's own exceptions already carry an
 * actionable message; common I/O failures get the path named; anything else keeps its type, since it
 * is a defect to report.
 */
final class FailureReason {

    private FailureReason() {
    }

    static String of(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (t instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName() + " (no message; run with NODULED_LOG=debug for the stack trace)";
        }
        if (t instanceof IOException || t.getClass().getName().startsWith("org.noduled.")) {
            return message.replace('\n', ' ');
        }
        return message.replace('\n', ' ') + " (" + t.getClass().getSimpleName() + ")";
    }
}
