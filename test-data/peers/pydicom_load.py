#!/usr/bin/env python3
"""Peer figure for `noduled bench load`: load one CT series with pydicom + numpy, the way Python code does.

Reads every file under DIR with pydicom.dcmread, keeps the images, sorts them by Image Position (Patient)
projected on the slice normal, applies Rescale Slope/Intercept into one int16 numpy array (slices, rows,
columns), and times that whole load --repeat times after one warm-up run. Prints one parseable line:

  pydicom_load: slices=300 rows=512 columns=512 repeat=20 p50_ms=... p95_ms=... min_ms=... checksum=...
                pydicom=2.3.1 numpy=1.24.2

checksum = sum over slices of (k + 1) * (sum of HU in slice k), computed as noduled does, so that the two
loaders can be seen to build the same volume in the same order. Exit status 3 when pydicom or numpy is missing.
"""
import argparse
import math
import os
import sys
import time

try:
    import numpy as np
    import pydicom
    from pydicom.errors import InvalidDicomError
except ImportError as e:
    print(f"pydicom_load: error=missing-module module={e.name} "
          "(Debian: apt-get install python3-pydicom python3-numpy)", file=sys.stderr)
    sys.exit(3)


def load(folder):
    paths = sorted(os.path.join(d, f) for d, _, files in os.walk(folder) for f in files)
    images = []
    for path in paths:
        try:
            ds = pydicom.dcmread(path)
        except (InvalidDicomError, OSError):
            continue
        if "PixelData" in ds:
            images.append(ds)
    if not images:
        raise SystemExit(f"pydicom_load: error=no-images folder={folder}")
    cosines = np.array(images[0].ImageOrientationPatient, dtype=np.float64)
    normal = np.cross(cosines[:3], cosines[3:])
    images.sort(key=lambda ds: float(np.dot(normal, np.array(ds.ImagePositionPatient, dtype=np.float64))))
    volume = np.empty((len(images), images[0].Rows, images[0].Columns), dtype=np.int16)
    for k, ds in enumerate(images):
        slope = float(ds.get("RescaleSlope", 1.0))
        intercept = float(ds.get("RescaleIntercept", 0.0))
        stored = ds.pixel_array
        if slope == 1.0 and intercept.is_integer():
            np.add(stored, int(intercept), out=volume[k], casting="unsafe")
        else:
            volume[k] = np.clip(np.rint(stored * slope + intercept), -32768, 32767).astype(np.int16)
    return volume


def percentile(sorted_ms, p):
    rank = math.ceil(p / 100 * len(sorted_ms))
    return sorted_ms[max(0, min(len(sorted_ms) - 1, rank - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    volume = load(args.folder)  # warm-up: imports, page cache
    timings = []
    for _ in range(args.repeat):
        volume = None
        start = time.perf_counter()
        volume = load(args.folder)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    slice_sums = volume.reshape(volume.shape[0], -1).sum(axis=1, dtype=np.int64)
    checksum = int(np.dot(slice_sums, np.arange(1, volume.shape[0] + 1, dtype=np.int64)))
    print(f"pydicom_load: slices={volume.shape[0]} rows={volume.shape[1]} columns={volume.shape[2]} "
          f"repeat={args.repeat} p50_ms={percentile(timings, 50):.1f} p95_ms={percentile(timings, 95):.1f} "
          f"min_ms={timings[0]:.1f} checksum={checksum} pydicom={pydicom.__version__} numpy={np.__version__}")


if __name__ == "__main__":
    main()
