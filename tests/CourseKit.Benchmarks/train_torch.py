"""One epoch of SimpleConvNet training in PyTorch (the same network, batch and optimizer as CourseKit's train
benchmark) on the threads the C# side chose (COURSEKIT_THREADS). Usage: train_torch.py MNIST_FOLDER [BATCH]
[WEIGHTS_FOLDER]; with WEIGHTS_FOLDER it starts from CourseKit's initial weights and takes the digits in file order.
Prints a JSON line."""
import gzip, json, sys, time
import numpy as np
import torch

import reference_common as rc


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def main():
    rc.threads()  # torch.set_num_threads
    torch.manual_seed(0)
    folder = sys.argv[1]
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    images = torch.from_numpy(read_idx(f"{folder}/train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    labels = torch.from_numpy(read_idx(f"{folder}/train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 30, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(30 * 12 * 12, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    if len(sys.argv) > 3:  # CourseKit's initial weights; a Linear layer keeps W transposed, (out, in)
        folder_w = sys.argv[3]
        with torch.no_grad():
            for layer, w, b, shape in ((net[0], "W1", "b1", (30, 1, 5, 5)), (net[4], "W2", "b2", (4320, 100)), (net[6], "W3", "b3", (100, 10))):
                weight = torch.from_numpy(rc.load(f"{folder_w}/{w}.f32", shape))
                layer.weight.copy_(weight if len(shape) == 4 else weight.t())
                layer.bias.copy_(torch.from_numpy(rc.load(f"{folder_w}/{b}.f32", (shape[0] if len(shape) == 4 else shape[1],))))
    initial = {k: v.clone() for k, v in net.state_dict().items()}
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x, t):
        optimizer.zero_grad()
        loss = loss_fn(net(x), t)
        loss.backward()
        optimizer.step()
        return loss.item()

    order = torch.arange(len(images)) if len(sys.argv) > 3 else torch.randperm(len(images))
    step(images[order[:batch]], labels[order[:batch]])          # warm-up, not timed, then undone
    net.load_state_dict(initial)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    start = time.perf_counter()
    losses = [step(images[order[i:i + batch]], labels[order[i:i + batch]]) for i in range(0, len(images), batch)]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "iterations": len(losses), "first_loss": losses[0], "last_loss": float(np.mean(losses[-10:])),
                      "threads": torch.get_num_threads(), "blas": rc.blas(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
