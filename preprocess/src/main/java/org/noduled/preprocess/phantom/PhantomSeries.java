package org.noduled.preprocess.phantom;

import org.noduled.preprocess.CtVolume;

/** A rendered phantom: its plan, the HU volume and the anatomy statistics measured on that volume. */
public record PhantomSeries(Phantom phantom, CtVolume volume, PhantomStats stats) {
}
