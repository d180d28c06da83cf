"""What every reference script of the benchmarks shares (imported from beside the script):

- threads(): the thread count the C# side chose (COURSEKIT_THREADS, the machine's cores), applied to PyTorch
  (torch.set_num_threads) when it is loaded; NumPy's OpenBLAS reads OPENBLAS_NUM_THREADS, set by the C# side too.
- blas(): the BLAS library actually loaded into this process, with its version and kernel ("core"), and what
  numpy.show_config says it was built against; printed by every benchmark.
- serve(handlers): answer requests, one JSON object per line on stdin, one JSON line each on stdout, so that
  the C# side can interleave its own measurements with ours case by case in one process.
- load(path, shape) / save(path, array): float32 arrays exchanged as raw files, so that both sides compute on the
  same inputs and the C# side can check its results against ours.
- best_seconds(call, batches, min_seconds): best time per call over batches of calls.
- peak_resident_mb(): this process's own peak resident memory, for the memory figures beside the times.
"""
import contextlib
import ctypes
import io
import json
import os
import resource
import sys
import time

import numpy as np


def threads():
    count = int(os.environ.get("COURSEKIT_THREADS", "0")) or os.cpu_count()
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(count)
    return count


def blas():
    """The BLAS that numpy (and torch, which links the same libblas.so.3) loaded, as /proc/self/maps shows it."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path.rsplit("/", 1)[-1]:
                paths.add(path)
    loaded = "unknown BLAS"
    for path in sorted(paths):
        if "openblas" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_num_threads.restype = ctypes.c_int
                loaded = "OpenBLAS %s, core %s, %d threads (%s)" % (
                    lib.openblas_get_config().decode().split()[1], lib.openblas_get_corename().decode(),
                    lib.openblas_get_num_threads(), path)
            except (OSError, AttributeError):
                loaded = "OpenBLAS (" + path + ")"
            break
    else:
        if paths:
            loaded = "reference BLAS (" + ", ".join(sorted(paths)) + ")"
    config = io.StringIO()
    with contextlib.redirect_stdout(config):
        try:
            np.show_config()
        except Exception as e:  # show_config's format changes between numpy versions
            print("numpy.show_config failed: %s" % e)
    built = [l.strip() for l in config.getvalue().splitlines() if "libraries" in l or "name" in l]
    return {"loaded": loaded, "numpy": np.__version__, "numpy_built_with": "; ".join(built[:4])}


def load(path, shape):
    return np.fromfile(path, dtype=np.float32).reshape(shape)


def save(path, array):
    np.ascontiguousarray(array, dtype=np.float32).tofile(path)


def best_seconds(call, batches, min_seconds):
    call()  # warm up: thread pool, caches, page faults
    iterations = 1
    while True:  # calls per batch so that a batch lasts at least min_seconds
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            break
        iterations *= 2
    best = elapsed / iterations
    for _ in range(batches - 1):
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        best = min(best, (time.perf_counter() - start) / iterations)
    return best


def serve(handlers, info):
    """Prints {"ready": info} and then answers each request {"op": name, ...} with handlers[name](request)."""
    out = sys.stdout
    out.write(json.dumps({"ready": info}) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        try:
            reply = handlers[request["op"]](request)
        except Exception as e:  # the C# side reports it and fails the case
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(reply) + "\n")
        out.flush()


def peak_resident_mb():
    """This process's own peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux carries that over from the
    parent through fork and exec, so it reported the .NET process's peak whenever that was larger."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
