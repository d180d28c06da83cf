"""SGEMM reference for the `gemm` benchmark: times numpy's a @ b (float32) on the shapes given.

usage: gemm_numpy.py MxKxN [MxKxN ...] [--batches B] [--min-seconds S]
Prints one JSON object: {"blas": "...", "results": [{"m", "k", "n", "seconds"}]} (seconds = best per call).
"""
import ctypes
import json
import sys
import time

import numpy as np


def loaded_blas():
    """Names the BLAS library numpy actually loaded (it may differ from what numpy was built against)."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path.rsplit("/", 1)[-1]:
                paths.add(path)
    for path in sorted(paths):
        if "openblas" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                return "OpenBLAS %s, core %s" % (lib.openblas_get_config().decode().split()[1],
                                                 lib.openblas_get_corename().decode())
            except (OSError, AttributeError):
                return "OpenBLAS (" + path + ")"
    if paths:
        return "reference BLAS (" + ", ".join(sorted(paths)) + ")"
    return "unknown BLAS"


def best_seconds(a, b, batches, min_seconds):
    a @ b  # warm up: thread pool, page faults
    iterations, elapsed = 1, 0.0
    while True:  # calls per batch so that a batch lasts at least min_seconds
        start = time.perf_counter()
        for _ in range(iterations):
            a @ b
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            break
        iterations *= 2
    best = elapsed / iterations
    for _ in range(batches - 1):
        start = time.perf_counter()
        for _ in range(iterations):
            a @ b
        best = min(best, (time.perf_counter() - start) / iterations)
    return best


def main(argv):
    shapes, batches, min_seconds = [], 5, 0.05
    i = 0
    while i < len(argv):
        if argv[i] == "--batches":
            batches, i = int(argv[i + 1]), i + 2
        elif argv[i] == "--min-seconds":
            min_seconds, i = float(argv[i + 1]), i + 2
        else:
            shapes.append(tuple(int(x) for x in argv[i].split("x")))
            i += 1
    rng = np.random.default_rng(0)
    results = []
    for m, k, n in shapes:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        results.append({"m": m, "k": k, "n": n, "seconds": best_seconds(a, b, batches, min_seconds)})
    print(json.dumps({"blas": loaded_blas(), "numpy": np.__version__, "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
