package org.noduled.dicom;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.noduled.dicom.net.LoopbackReceiver;

/** Polls a condition that background threads make true; fails with a description after a generous limit. */
public final class Await {

    private static final long LIMIT_MILLIS = 20_000;

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    public static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.currentTimeMillis() + LIMIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + LIMIT_MILLIS / 1000 + " s: " + what + " " + state.get());
            }
            LoopbackReceiver.sleep(20);
        }
    }
}
