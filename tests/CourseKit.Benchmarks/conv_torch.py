"""Convolution reference for the `conv` benchmark: torch.nn.functional.conv2d, as a server (see reference_common.serve).

Request {"op": "conv", "shape": [N, C, H, W, OC, F, S, P], "x", "w", "b", "dy": input files, "y", "dx", "dw", "db":
output files, "batches", "min_seconds"}: times the forward pass (no autograd) and forward + the gradients of the
input, the filters and the bias, on the inputs read from the files; writes Y and the three gradients; answers
{"forward": s, "forward_backward": s}, best seconds per call.
"""
import torch

import reference_common as rc


def conv(request):
    n, c, h, w, oc, f, s, p = request["shape"]
    x = torch.from_numpy(rc.load(request["x"], (n, c, h, w))).requires_grad_()
    weight = torch.from_numpy(rc.load(request["w"], (oc, c, f, f))).requires_grad_()
    bias = torch.from_numpy(rc.load(request["b"], (oc,))).requires_grad_()
    oh, ow = (h + 2 * p - f) // s + 1, (w + 2 * p - f) // s + 1
    dy = torch.from_numpy(rc.load(request["dy"], (n, oc, oh, ow)))

    def forward():
        with torch.no_grad():
            return torch.nn.functional.conv2d(x, weight, bias, s, p)

    def forward_backward():
        x.grad = weight.grad = bias.grad = None
        torch.nn.functional.conv2d(x, weight, bias, s, p).backward(dy)

    batches, min_seconds = request["batches"], request["min_seconds"]
    result = {"forward": rc.best_seconds(forward, batches, min_seconds),
              "forward_backward": rc.best_seconds(forward_backward, batches, min_seconds)}
    rc.save(request["y"], forward().numpy())
    forward_backward()
    for name, tensor in (("dx", x.grad), ("dw", weight.grad), ("db", bias.grad)):
        rc.save(request[name], tensor.numpy())
    return result


if __name__ == "__main__":
    info = {"threads": rc.threads(), "blas": rc.blas(), "torch": torch.__version__,
            "onednn": torch.backends.mkldnn.is_available(), "torch_threads": torch.get_num_threads()}
    rc.serve({"conv": conv}, info)
