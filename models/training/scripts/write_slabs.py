"""Writes whole-slice slabs of prepared phantoms as raw little-endian float32 [N, depth, H, W] for
bench/OutputDiff.java: one slab centred on each planted nodule, plus as many at random lung slices. A command:
  python3 scripts/write_slabs.py PREPARED_DIR OUT.f32 NAME...   (from models/training; prints N depth H W)
Synthetic phantoms, not for clinical use."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from nodtrain import phantoms  # noqa: E402
from nodtrain.grid import whole_slice_slab  # noqa: E402

DEPTH = 9


def main(prepared, out, names):
    rng = np.random.default_rng(0)
    slabs = []
    for name in names:
        grid, meta = phantoms.load_prepared(prepared, name)
        lo, hi = meta["lung_z_range"]
        centres = [int(round(n["uvt"][2])) for n in meta["nodules"]]
        centres += [int(c) for c in rng.integers(lo, hi + 1, size=len(centres))]
        slabs += [whole_slice_slab(grid, c, DEPTH, 16) for c in centres]
    shape = slabs[0].shape
    slabs = [s for s in slabs if s.shape == shape]
    np.stack(slabs).astype("<f4").tofile(out)
    print(len(slabs), *shape)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
