"""One epoch of CifarConvNet training in PyTorch on N CPU threads (the network, batch and optimizer of CourseKit's
cifar benchmark), from the initial weights CourseKit wrote, so that the first batch's loss can be compared.
Usage: cifar_torch.py BATCH_FILE IMAGES BATCH THREADS WEIGHTS_FILE. Prints a JSON line."""
import json, sys, time
import numpy as np
import torch


def main():
    batch_file, count, batch, threads, weights_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    records = np.fromfile(batch_file, dtype=np.uint8).reshape(-1, 3073)[:count]
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = records[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255
    mean = np.array([0.4914, 0.4822, 0.4465], dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.array([0.2470, 0.2435, 0.2616], dtype=np.float32).reshape(1, 3, 1, 1)
    images = torch.from_numpy((images - mean) / std)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(64, 128, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(128 * 4 * 4, 256), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.Linear(256, 10))
    # CourseKit's parameters in its order: each convolution's W (OC, C, KH, KW) and b, each Affine's W (in, out) and b.
    flat = np.fromfile(weights_file, dtype=np.float32)
    offset = 0
    with torch.no_grad():
        for module in net:
            if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
                w = module.weight
                shape = tuple(w.shape) if isinstance(module, torch.nn.Conv2d) else (w.shape[1], w.shape[0])
                n = int(np.prod(shape))
                value = torch.from_numpy(flat[offset:offset + n].reshape(shape).copy())
                w.copy_(value if isinstance(module, torch.nn.Conv2d) else value.T)
                offset += n
                module.bias.copy_(torch.from_numpy(flat[offset:offset + module.bias.numel()].copy()))
                offset += module.bias.numel()
    assert offset == len(flat), f"{len(flat)} weights given, {offset} used"
    loss_fn = torch.nn.CrossEntropyLoss()
    net.eval()
    with torch.no_grad():
        first_loss = loss_fn(net(images[:batch]), labels[:batch]).item()  # inference, the check against CourseKit
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)

    def step(x, t):
        optimizer.zero_grad()
        loss = loss_fn(net(x), t)
        loss.backward()
        optimizer.step()
        return loss.item()

    order = torch.randperm(len(images))
    step(images[order[:batch]], labels[order[:batch]])  # warm-up, not timed
    start = time.perf_counter()
    losses = [step(images[order[i:i + batch]], labels[order[i:i + batch]]) for i in range(0, len(images), batch)]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "iterations": len(losses), "first_loss": first_loss, "last_loss": float(np.mean(losses[-10:]))}))


if __name__ == "__main__":
    main()
