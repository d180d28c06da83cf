"""The U-Net of CourseKit's `unet` benchmark in PyTorch: the same layers, loaded with CourseKit's initial weights, the
same batch, the same loss (per-pixel softmax cross-entropy) and Adam. Usage:
unet_torch.py FOLDER BATCH SIZE DEPTH WIDTH THREADS. Prints a JSON line with the first step's loss, gradient norms and
the bytes autograd saved for backward; then answers each line "time K" on stdin with the seconds of K training steps."""
import json, sys, time
import numpy as np
import torch
from torch import nn
from reference_common import peak_resident_mb


def double(cin, c):
    return nn.Sequential(nn.Conv2d(cin, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
                         nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, depth, width):
        super().__init__()
        self.enc = nn.ModuleList(double(1 if l == 0 else width << (l - 1), width << l) for l in range(depth))
        self.bottom = double(width << (depth - 1), width << depth)
        self.up = nn.ModuleList(nn.ConvTranspose2d(2 * (width << l), width << l, 2, stride=2) for l in range(depth))
        self.dec = nn.ModuleList(double(2 * (width << l), width << l) for l in range(depth))
        self.head = nn.Conv2d(width, 2, 1)
        self.depth = depth

    def forward(self, x):
        skips = []
        for l in range(self.depth):
            x = self.enc[l](x)
            skips.append(x)
            x = nn.functional.max_pool2d(x, 2)
        x = self.bottom(x)
        for l in reversed(range(self.depth)):
            x = self.dec[l](torch.cat([skips[l], self.up[l](x)], 1))
        return self.head(x)

    def in_coursekit_order(self):
        """Parameters in the order of CourseKit's UNet.Parameters: encoders, bottom, then (up, decoder) from the bottom level up, head."""
        parts = [*self.enc, self.bottom]
        for l in reversed(range(self.depth)):
            parts += [self.up[l], self.dec[l]]
        return [p for part in parts + [self.head] for p in part.parameters()]


def main():
    folder, batch, size, depth, width, threads = sys.argv[1], *map(int, sys.argv[2:7])
    torch.set_num_threads(threads)
    net = UNet(depth, width)
    params = net.in_coursekit_order()
    flat = np.fromfile(f"{folder}/params.bin", dtype=np.float32)
    at = 0
    with torch.no_grad():
        for p in params:
            p.copy_(torch.from_numpy(flat[at:at + p.numel()].copy()).reshape(p.shape))
            at += p.numel()
    assert at == len(flat), f"{len(flat)} floats for {at} parameters"
    x = torch.from_numpy(np.fromfile(f"{folder}/x.bin", dtype=np.float32).reshape(batch, 1, size, size))
    t = torch.from_numpy(np.fromfile(f"{folder}/labels.bin", dtype=np.int32).astype(np.int64).reshape(batch, size, size))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)

    # The first step without the optimizer: loss and gradients to check against CourseKit's; the tensors autograd saves.
    param_ptrs = {p.data_ptr() for p in net.parameters()}
    saved = {}

    def pack(tensor):
        storage = tensor.storage()
        if tensor.data_ptr() not in param_ptrs:
            saved[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        y = net(x)
        loss = loss_fn(y, t)
    loss.backward()
    print(json.dumps({"loss": loss.item(), "grad_norms": [p.grad.double().norm().item() for p in params],
                      "saved_bytes": sum(saved.values()), "output_bytes": y.numel() * 4}), flush=True)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), t)
        loss.backward()
        optimizer.step()

    step()   # warm-up
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        k = int(words[1])
        start = time.perf_counter()
        for _ in range(k):
            step()
        seconds = (time.perf_counter() - start) / k
        print(json.dumps({"seconds": seconds, "peak_rss_bytes": int(peak_resident_mb() * 1024 * 1024)}), flush=True)


if __name__ == "__main__":
    main()
