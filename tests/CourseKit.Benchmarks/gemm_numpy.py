"""SGEMM reference for the `gemm` benchmark, as a server (see reference_common.serve).

Request {"op": "gemm", "m", "k", "n", "a", "b", "c", "batches", "min_seconds"}: reads A (m, k) and B (k, n) from the
files a and b, times np.matmul(a, b, out=c) into a preallocated C (float32), writes C to the file c and answers
{"seconds": best per call}.
"""
import numpy as np

import reference_common as rc


def gemm(request):
    m, k, n = request["m"], request["k"], request["n"]
    a = rc.load(request["a"], (m, k))
    b = rc.load(request["b"], (k, n))
    c = np.empty((m, n), dtype=np.float32)
    seconds = rc.best_seconds(lambda: np.matmul(a, b, out=c), request["batches"], request["min_seconds"])
    rc.save(request["c"], c)
    return {"seconds": seconds}


if __name__ == "__main__":
    rc.serve({"gemm": gemm}, {"threads": rc.threads(), "blas": rc.blas()})
