"""One epoch of SimpleConvNet training in NumPy, in the style of the lecture (deep-learning-from-scratch):
im2col convolution, max pooling with argmax, Affine, ReLU, SoftmaxWithLoss, Adam; float32 like CourseKit.
Usage: train_numpy.py MNIST_FOLDER [BATCH] [WEIGHTS_FOLDER]. With WEIGHTS_FOLDER (W1.f32 ... b3.f32, written by the
C# benchmark) it starts from those weights and takes the digits in file order, as CourseKit does there, so that the
losses can be compared. Threads: OPENBLAS_NUM_THREADS, set by the C# side. Prints a JSON line with the epoch time."""
import gzip, json, sys, time
import numpy as np

import reference_common as rc


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def im2col(x, fh, fw, stride=1, pad=0):
    n, c, h, w = x.shape
    oh, ow = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    img = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], "constant")
    col = np.zeros((n, c, fh, fw, oh, ow), dtype=x.dtype)
    for y in range(fh):
        y_max = y + stride * oh
        for xx in range(fw):
            x_max = xx + stride * ow
            col[:, :, y, xx, :, :] = img[:, :, y:y_max:stride, xx:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1)


def col2im(col, shape, fh, fw, stride=1, pad=0):
    n, c, h, w = shape
    oh, ow = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    col = col.reshape(n, oh, ow, c, fh, fw).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * pad + stride - 1, w + 2 * pad + stride - 1), dtype=col.dtype)
    for y in range(fh):
        y_max = y + stride * oh
        for xx in range(fw):
            x_max = xx + stride * ow
            img[:, :, y:y_max:stride, xx:x_max:stride] += col[:, :, y, xx, :, :]
    return img[:, :, pad:h + pad, pad:w + pad]


class Convolution:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        fn, c, fh, fw = self.W.shape
        n, c, h, w = x.shape
        oh, ow = h - fh + 1, w - fw + 1
        self.x, self.col = x, im2col(x, fh, fw)
        self.col_W = self.W.reshape(fn, -1).T
        out = self.col @ self.col_W + self.b
        return out.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

    def backward(self, dout):
        fn, c, fh, fw = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, fn)
        self.db = dout.sum(axis=0)
        self.dW = (self.col.T @ dout).transpose(1, 0).reshape(fn, c, fh, fw)
        return col2im(dout @ self.col_W.T, self.x.shape, fh, fw)


class Pooling:
    def forward(self, x):
        n, c, h, w = x.shape
        oh, ow = h // 2, w // 2
        col = im2col(x, 2, 2, 2).reshape(-1, 4)
        self.x, self.arg_max = x, np.argmax(col, axis=1)
        return np.max(col, axis=1).reshape(n, oh, ow, c).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        dmax = np.zeros((dout.size, 4), dtype=dout.dtype)
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dcol = dmax.reshape(dout.shape[0] * dout.shape[1] * dout.shape[2], -1)
        return col2im(dcol, self.x.shape, 2, 2, 2)


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.shape)


class SoftmaxWithLoss:
    def forward(self, x, t):
        x = x - x.max(axis=1, keepdims=True)
        e = np.exp(x)
        self.y, self.t = e / e.sum(axis=1, keepdims=True), t
        return -np.log(self.y[np.arange(len(t)), t] + 1e-7).mean()

    def backward(self):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx / len(self.t)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, {}, {}

    def update(self, params, grads):
        self.iter += 1
        lr_t = self.lr * np.sqrt(1 - self.beta2 ** self.iter) / (1 - self.beta1 ** self.iter)
        for k in params:
            if k not in self.m:
                self.m[k], self.v[k] = np.zeros_like(params[k]), np.zeros_like(params[k])
            self.m[k] += (1 - self.beta1) * (grads[k] - self.m[k])
            self.v[k] += (1 - self.beta2) * (grads[k] ** 2 - self.v[k])
            params[k] -= (lr_t * self.m[k] / (np.sqrt(self.v[k]) + 1e-7)).astype(np.float32)


def main():
    folder = sys.argv[1]
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    images = read_idx(f"{folder}/train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    labels = read_idx(f"{folder}/train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    rng = np.random.default_rng(0)
    f32 = np.float32
    p = {
        "W1": (rng.standard_normal((30, 1, 5, 5)) * np.sqrt(2 / 25)).astype(f32), "b1": np.zeros(30, f32),
        "W2": (rng.standard_normal((4320, 100)) * np.sqrt(2 / 4320)).astype(f32), "b2": np.zeros(100, f32),
        "W3": (rng.standard_normal((100, 10)) * np.sqrt(2 / 100)).astype(f32), "b3": np.zeros(10, f32),
    }
    conv, relu1, pool = Convolution(p["W1"], p["b1"]), Relu(), Pooling()
    affine1, relu2, affine2 = Affine(p["W2"], p["b2"]), Relu(), Affine(p["W3"], p["b3"])
    layers, loss, adam = [conv, relu1, pool, affine1, relu2, affine2], SoftmaxWithLoss(), Adam()
    if len(sys.argv) > 3:  # the C# side's initial weights, in file order
        for name, shape in (("W1", (30, 1, 5, 5)), ("b1", (30,)), ("W2", (4320, 100)), ("b2", (100,)), ("W3", (100, 10)), ("b3", (10,))):
            p[name][...] = rc.load(f"{sys.argv[3]}/{name}.f32", shape)

    def step(x, t):
        for layer in layers:
            x = layer.forward(x)
        value = loss.forward(x, t)
        d = loss.backward()
        for layer in reversed(layers):
            d = layer.backward(d)
        grads = {"W1": conv.dW, "b1": conv.db, "W2": affine1.dW, "b2": affine1.db, "W3": affine2.dW, "b3": affine2.db}
        adam.update(p, grads)
        return value

    order = np.arange(len(images)) if len(sys.argv) > 3 else rng.permutation(len(images))
    saved = {k: v.copy() for k, v in p.items()}
    step(images[order[:batch]], labels[order[:batch]])          # warm-up, not timed, then undone
    for k in p:
        p[k][...] = saved[k]
    adam.iter, adam.m, adam.v = 0, {}, {}
    start = time.perf_counter()
    losses = [step(images[order[i:i + batch]], labels[order[i:i + batch]]) for i in range(0, len(images), batch)]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "iterations": len(losses), "first_loss": float(losses[0]),
                      "last_loss": float(np.mean(losses[-10:])), "threads": rc.threads(), "blas": rc.blas()}))


if __name__ == "__main__":
    main()
