"""One training step (forward, cross-entropy, backward, SGD with momentum) of a CIFAR ResNet in PyTorch, built like
CourseKit's ResNet.Cifar / WideResNet.Create and loaded with CourseKit's initial weights, so that the loss and the
gradients can be compared. Usage: resnet_torch.py CONFIG DATA_FILE BATCH THREADS STEPS [double]
CONFIG: resnet20 | wrn16-4. DATA_FILE: float32 images (BATCH,3,32,32), int32 labels, then CourseKit's state tensors
in its order. Prints a JSON line: loss and first-conv gradient of the first step, step times, peak memory.
With "double": only the first step's loss and first-conv gradient, computed in float64 from the same (exactly
widened) weights and batch, the reference both float32 sides are measured against; nothing is timed. It runs in a
process of its own so that the float64 copy does not count in the timed runs' peak memory."""
import json, sys, time
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from reference_common import peak_resident_mb


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)   # CourseKit: running = 0.9 running + 0.1 batch


class Basic(nn.Module):   # CourseKit BasicBlock: conv1 bn1 conv2 bn2 [shortcut shortcut_bn]
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.bn1 = bn(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.bn2 = bn(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Conv2d(cin, cout, 1, stride, bias=False); self.proj_bn = bn(cout)

    def state(self):
        return [self.conv1, self.bn1, self.conv2, self.bn2] + ([self.proj, self.proj_bn] if self.proj is not None else [])

    def forward(self, x):
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(h + (x if self.proj is None else self.proj_bn(self.proj(x))))


class Wide(nn.Module):   # CourseKit WideBlock: bn1 conv1 bn2 conv2 [shortcut]
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = bn(cin); self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = bn(cout); self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.proj = nn.Conv2d(cin, cout, 1, stride, bias=False) if stride != 1 or cin != cout else None

    def state(self):
        return [self.bn1, self.conv1, self.bn2, self.conv2] + ([self.proj] if self.proj is not None else [])

    def forward(self, x):
        o = F.relu(self.bn1(x))
        h = self.conv2(F.relu(self.bn2(self.conv1(o))))
        return h + (x if self.proj is None else self.proj(o))


def build(config):
    if config == "resnet20":
        mods = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), bn(16), nn.ReLU()]
        c = 16
        for stage in range(3):
            for i in range(3):
                out = 16 << stage
                mods.append(Basic(c, out, 2 if stage > 0 and i == 0 else 1)); c = out
        mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10)]
    else:
        depth, k = 16, 4
        n = (depth - 4) // 6
        mods = [nn.Conv2d(3, 16, 3, 1, 1, bias=False)]
        c = 16
        for group in range(3):
            for i in range(n):
                out = (16 << group) * k
                mods.append(Wide(c, out, 2 if group > 0 and i == 0 else 1)); c = out
        mods += [bn(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10)]
    return nn.Sequential(*mods)


def state_tensors(net):
    """The tensors in CourseKit's State() order: W; gamma, beta, running_mean, running_var; Affine W (in, out), b."""
    out = []
    def layer(m):
        if isinstance(m, nn.Conv2d): out.append((m.weight, False))
        elif isinstance(m, nn.BatchNorm2d): out.extend([(m.weight, False), (m.bias, False), (m.running_mean, False), (m.running_var, False)])
        elif isinstance(m, nn.Linear): out.extend([(m.weight, True), (m.bias, False)])
    for m in net:
        if isinstance(m, (Basic, Wide)):
            for s in m.state(): layer(s)
        else: layer(m)
    return out


def main():
    config, path, batch, threads, steps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    in_double = len(sys.argv) > 6 and sys.argv[6] == "double"
    torch.set_num_threads(threads)
    net = build(config)
    raw = np.fromfile(path, dtype=np.float32)
    n_img = batch * 3 * 32 * 32
    x = torch.from_numpy(raw[:n_img].reshape(batch, 3, 32, 32).copy())
    t = torch.from_numpy(raw[n_img:n_img + batch].view(np.int32).astype(np.int64))
    pos = n_img + batch
    with torch.no_grad():
        for tensor, transposed in state_tensors(net):
            shape = tuple(reversed(tensor.shape)) if transposed else tuple(tensor.shape)
            size = int(np.prod(shape))
            values = torch.from_numpy(raw[pos:pos + size].reshape(shape).copy())
            tensor.copy_(values.t() if transposed else values)
            pos += size
    assert pos == len(raw), f"{len(raw) - pos} floats left over: the architectures differ"
    net.train()
    if in_double:
        net.double()
        loss = F.cross_entropy(net(x.double()), t)
        loss.backward()
        print(json.dumps({"loss": loss.item(), "grad_first_conv": net[0].weight.grad.numpy().ravel().tolist()}))
        return
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), t)
        loss.backward()
        optimizer.step()
        return loss.item()

    first_conv = net[0]
    optimizer.zero_grad()
    loss0 = F.cross_entropy(net(x), t)
    loss0.backward()
    grad0 = first_conv.weight.grad.detach().numpy().ravel().tolist()
    step()                                       # warm-up
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    peak_mb = peak_resident_mb()
    print(json.dumps({"loss": loss0.item(), "grad_first_conv": grad0, "seconds": times, "peak_mb": peak_mb}))


if __name__ == "__main__":
    main()
