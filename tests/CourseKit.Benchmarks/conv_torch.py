"""Convolution reference for the `conv` benchmark: times torch.nn.functional.conv2d on 2 threads.

usage: conv_torch.py N,C,H,W,OC,F,S,P [...] [--batches B] [--min-seconds S]
Prints one JSON object: {"torch": version, "results": [{"case", "forward", "forward_backward"}]} in seconds per call,
where forward_backward also computes the gradients of the input, the filters and the bias.
"""
import json
import sys
import time

import torch


def best_seconds(call, batches, min_seconds):
    call()  # warm up: thread pool, oneDNN primitive caches
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


def main(argv):
    torch.set_num_threads(2)
    cases, batches, min_seconds = [], 5, 0.1
    i = 0
    while i < len(argv):
        if argv[i] == "--batches":
            batches, i = int(argv[i + 1]), i + 2
        elif argv[i] == "--min-seconds":
            min_seconds, i = float(argv[i + 1]), i + 2
        else:
            cases.append(argv[i])
            i += 1
    torch.manual_seed(0)
    results = []
    for case in cases:
        n, c, h, w, oc, f, s, p = (int(v) for v in case.split(","))
        x = torch.randn(n, c, h, w, requires_grad=True)
        weight = torch.randn(oc, c, f, f, requires_grad=True)
        bias = torch.randn(oc, requires_grad=True)
        dy = torch.randn_like(torch.nn.functional.conv2d(x, weight, bias, s, p))

        def forward():
            with torch.no_grad():
                torch.nn.functional.conv2d(x, weight, bias, s, p)

        def forward_backward():
            x.grad = weight.grad = bias.grad = None
            torch.nn.functional.conv2d(x, weight, bias, s, p).backward(dy)

        results.append({"case": case,
                        "forward": best_seconds(forward, batches, min_seconds),
                        "forward_backward": best_seconds(forward_backward, batches, min_seconds)})
    print(json.dumps({"torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available(), "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
