"""The networks of CourseKit's `gan` benchmark in PyTorch, built like CourseKit's Dcgan.Generator/Discriminator and
Pix2Pix.Generator/PatchGan and loaded with CourseKit's initial weights (its parameter order, shapes in each request).
Requests (one JSON line each, see reference_common.serve):
  {"op": "dcgan" | "pix2pix", ...files and shapes}: one iteration (D step, then G step) on fixed inputs; answers the
      losses and the gradient norms of G's and D's parameters after it (D's from the G step).
  {"op": "time", "case": "dcgan" | "pix2pix", "steps": K}: K more iterations on fresh noise (pix2pix with dropout);
      answers the seconds per iteration."""
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from reference_common import load, serve, threads


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)


class DcganG(nn.Module):   # CourseKit: Affine, Reshape, BN, ReLU, [ConvT BN ReLU]..., ConvT, tanh
    def __init__(self, latent, start, steps, width, channels=1):
        super().__init__()
        c = width << (steps - 1)
        self.start, self.c = start, c
        self.order = [nn.Linear(latent, c * start * start), bn(c)]
        for _ in range(1, steps):
            self.order += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1), bn(c // 2)]
            c //= 2
        self.order.append(nn.ConvTranspose2d(c, channels, 4, 2, 1))
        self.layers = nn.ModuleList(self.order)

    def forward(self, z):
        h = self.order[0](z).view(-1, self.c, self.start, self.start)
        h = F.relu(self.order[1](h))
        for i in range(2, len(self.order) - 1, 2):
            h = F.relu(self.order[i + 1](self.order[i](h)))
        return torch.tanh(self.order[-1](h))


class DcganD(nn.Module):   # CourseKit: Conv, LReLU, [Conv BN LReLU]..., Flatten, Affine
    def __init__(self, start, steps, width, channels=1):
        super().__init__()
        self.order = [nn.Conv2d(channels, width, 4, 2, 1)]
        c = width
        for _ in range(1, steps):
            self.order += [nn.Conv2d(c, 2 * c, 4, 2, 1), bn(2 * c)]
            c *= 2
        self.order.append(nn.Linear(c * start * start, 1))
        self.layers = nn.ModuleList(self.order)

    def forward(self, x):
        h = F.leaky_relu(self.order[0](x), 0.2)
        for i in range(1, len(self.order) - 1, 2):
            h = F.leaky_relu(self.order[i + 1](self.order[i](h)), 0.2)
        return self.order[-1](h.flatten(1))


class Pix2PixG(nn.Module):   # CourseKit Pix2Pix.Generator: its layers in the order the model API created them
    def __init__(self, cin, cout, size, width, dropout):
        super().__init__()
        levels = round(math.log2(size))
        ch = lambda level: width * min(1 << level, 8)
        self.enc = [(nn.Conv2d(cin, ch(0), 4, 2, 1), None)]
        for i in range(1, levels):
            self.enc.append((nn.Conv2d(ch(i - 1), ch(i), 4, 2, 1), bn(ch(i)) if i < levels - 1 else None))
        self.dec = []
        for i in range(levels - 2, -1, -1):
            c_in = ch(levels - 1) if i == levels - 2 else 2 * ch(i + 1)
            self.dec.append((nn.ConvTranspose2d(c_in, ch(i), 4, 2, 1), bn(ch(i)), dropout if i >= levels - 4 else 0.0))
        self.out = nn.ConvTranspose2d(2 * ch(0), cout, 4, 2, 1)
        self.order = [m for conv, norm in self.enc for m in (conv, norm) if m is not None] + \
                     [m for up, norm, _ in self.dec for m in (up, norm)] + [self.out]
        self.layers = nn.ModuleList(self.order)

    def forward(self, x):
        skips = []
        for i, (conv, norm) in enumerate(self.enc):
            x = conv(x if i == 0 else F.leaky_relu(x, 0.2))
            x = x if norm is None else norm(x)
            skips.append(x)
        for k, (up, norm, p) in enumerate(self.dec):
            x = norm(up(F.relu(x)))
            if p > 0:
                x = F.dropout(x, p, self.training)
            x = torch.cat([x, skips[len(skips) - 2 - k]], 1)
        return torch.tanh(self.out(F.relu(x)))


class PatchGan(nn.Module):   # CourseKit Pix2Pix.PatchGan: Conv LReLU, [Conv BN LReLU] x layers, Conv
    def __init__(self, cin, layers, width):
        super().__init__()
        self.order = [nn.Conv2d(cin, width, 4, 2, 1)]
        c = width
        for i in range(1, layers + 1):
            nxt = width * min(1 << i, 8)
            self.order += [nn.Conv2d(c, nxt, 4, 2 if i < layers else 1, 1), bn(nxt)]
            c = nxt
        self.order.append(nn.Conv2d(c, 1, 4, 1, 1))
        self.layers = nn.ModuleList(self.order)

    def forward(self, x):
        h = F.leaky_relu(self.order[0](x), 0.2)
        for i in range(1, len(self.order) - 1, 2):
            h = F.leaky_relu(self.order[i + 1](self.order[i](h)), 0.2)
        return self.order[-1](h)


def parameters(net):
    return [p for m in net.order for p in m.parameters()]


def load_weights(net, saved):
    """CourseKit's parameters in its order; an Affine's W is (in, out), a Linear's weight (out, in)."""
    flat = np.fromfile(saved["file"], dtype=np.float32)
    params, shapes, at = parameters(net), saved["shapes"], 0
    assert len(params) == len(shapes), f"{len(shapes)} CourseKit parameters, {len(params)} here"
    with torch.no_grad():
        for p, shape in zip(params, shapes):
            n = int(np.prod(shape))
            value = torch.from_numpy(flat[at:at + n].copy()).reshape(shape)
            if tuple(shape) != tuple(p.shape):
                value = value.t()
            assert value.shape == p.shape, f"shape {shape} does not fit {tuple(p.shape)}"
            p.copy_(value)
            at += n
    assert at == len(flat)


def adam(net):
    return torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)


def bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


def norms(net):
    return [p.grad.double().norm().item() if p.grad is not None else 0.0 for p in parameters(net)]


state = {}


def dcgan(request):
    n = request["batch"]
    g, d = DcganG(100, 7, 2, 64), DcganD(7, 2, 64)
    load_weights(g, request["g"]); load_weights(d, request["d"])
    real = torch.from_numpy(load(request["real"], (n, 1, 28, 28)))
    z1, z2 = (torch.from_numpy(load(request[k], (n, 100))) for k in ("z1", "z2"))
    og, od = adam(g), adam(d)

    def iteration(za, zb):
        od.zero_grad()
        fake = g(za).detach()
        d_loss = bce(d(real), 1.0) + bce(d(fake), 0.0)
        d_loss.backward(); od.step()
        og.zero_grad(); od.zero_grad()
        g_loss = bce(d(g(zb)), 1.0)
        g_loss.backward(); og.step()
        return d_loss.item(), g_loss.item()

    d_loss, g_loss = iteration(z1, z2)
    state["dcgan"] = lambda: iteration(torch.randn(n, 100), torch.randn(n, 100))
    return {"d_loss": d_loss, "g_loss": g_loss, "g_norms": norms(g), "d_norms": norms(d)}


def pix2pix(request):
    n, size, width = request["pairs"], request["size"], request["width"]
    g, d = Pix2PixG(1, 3, size, width, 0.0), PatchGan(4, 3, width)
    load_weights(g, request["g"]); load_weights(d, request["d"])
    x = torch.from_numpy(load(request["x"], (n, 1, size, size)))
    y = torch.from_numpy(load(request["y"], (n, 3, size, size)))

    def trainer(g):
        og, od = adam(g), adam(d)

        def iteration():
            fake = g(x)
            od.zero_grad()
            real_loss, fake_loss = bce(d(torch.cat([x, y], 1)), 1.0), bce(d(torch.cat([x, fake.detach()], 1)), 0.0)
            d_loss = 0.5 * (real_loss + fake_loss)
            d_loss.backward(); od.step()
            og.zero_grad(); od.zero_grad()
            gan, l1 = bce(d(torch.cat([x, fake], 1)), 1.0), (fake - y).abs().mean()
            (gan + 100.0 * l1).backward(); og.step()
            return d_loss.item(), gan.item(), l1.item()
        return iteration

    d_loss, gan, l1 = trainer(g)()
    answer = {"d_loss": d_loss, "g_gan": gan, "l1": l1, "g_norms": norms(g), "d_norms": norms(d)}
    noisy = Pix2PixG(1, 3, size, width, 0.5)       # timed with pix2pix's dropout, from the same initial weights
    load_weights(noisy, request["g"])
    state["pix2pix"] = trainer(noisy)
    return answer


def timed(request):
    iteration, k = state[request["case"]], request["steps"]
    start = time.perf_counter()
    for _ in range(k):
        iteration()
    return {"seconds": (time.perf_counter() - start) / k}


if __name__ == "__main__":
    count = threads()
    serve({"dcgan": dcgan, "pix2pix": pix2pix, "time": timed}, {"torch": torch.__version__, "threads": count})
