"""One epoch of SimpleConvNet training in PyTorch on 2 CPU threads (the same network, batch and optimizer
as CourseKit's train benchmark). Usage: train_torch.py MNIST_FOLDER [BATCH]. Prints a JSON line."""
import gzip, json, sys, time
import numpy as np
import torch


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    folder = sys.argv[1]
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    images = torch.from_numpy(read_idx(f"{folder}/train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    labels = torch.from_numpy(read_idx(f"{folder}/train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 30, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(30 * 12 * 12, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x, t):
        optimizer.zero_grad()
        loss = loss_fn(net(x), t)
        loss.backward()
        optimizer.step()
        return loss.item()

    order = torch.randperm(len(images))
    step(images[order[:batch]], labels[order[:batch]])          # warm-up, not timed
    start = time.perf_counter()
    losses = [step(images[order[i:i + batch]], labels[order[i:i + batch]]) for i in range(0, len(images), batch)]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "iterations": len(losses), "last_loss": float(np.mean(losses[-10:]))}))


if __name__ == "__main__":
    main()
