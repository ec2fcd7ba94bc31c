package org.noduled.preprocess;

/**
 * Loads OpenCV's native library (bundled for linux x86_64 and aarch64 in org.openpnp:opencv) exactly
 * once per JVM, on first use by a type that calls OpenCV.
 */
final class NativeOpenCv {

    private NativeOpenCv() {
    }

    /** Loads the library if this JVM has not yet; cheap after the first call. */
    static void load() {
        Holder.touch();
    }

    private static final class Holder {
        static {
            nu.pattern.OpenCV.loadLocally();
        }

        static void touch() {
            // Class initialisation above is the load; the JVM runs it once, thread-safely.
        }
    }
}
