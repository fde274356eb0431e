"""PyTorch side of the data-pipeline benchmark (Java side: ./apoptosis bench data, dev.apoptosis.bench.DataBench).

Measures, as medians of REPS runs:
  1. loading Fashion-MNIST (the four gzipped IDX files) into uint8 arrays with gzip + numpy;
  2. decoding all 60k CIFAR-10 JPEGs of the shared tarball with PIL (what torchvision's
     ImageFolder does, except that it decodes again every epoch: it has no decoded cache);
  3. a torch DataLoader over in-memory uint8 CIFAR-10 training images with random crop 32 /
     padding 4, horizontal flip and normalisation done per sample with torch ops, batch 128,
     one background worker process (num_workers=1), i.e. the same work as the Java loader.

Torchvision is not installed here, so the transforms are written with plain torch ops.
Run: /usr/bin/python3 bench/data_pytorch.py [REPS]   (from the repository root)
"""
import gzip
import io
import os
import statistics
import sys
import tarfile
import time

import numpy as np
import torch
from PIL import Image

ROOT = os.environ.get("APOPTOSIS_DATA", os.path.join(os.path.dirname(__file__), "../../shared/datasets"))
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(3, 1, 1)
STD = torch.tensor([0.2470, 0.2435, 0.2616]).view(3, 1, 1)


def report(name, ms, images):
    print(f"{name:<48} threads={torch.get_num_threads()}  {ms:10.3f} ms  {images / (ms / 1e3):9.1f} img/s", flush=True)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion():
    d = os.path.join(ROOT, "fashion-mnist")
    return [idx(os.path.join(d, f)) for f in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")]


def decode_cifar(split_filter=None):
    # Stream the archive ("r|gz"): random access into a gzipped tar re-inflates from the start.
    encoded = []
    with tarfile.open(os.path.join(ROOT, "cifar10-jpeg.tar.gz"), "r|gz") as tf:
        for m in tf:
            if not m.isfile():
                continue
            _, split, cls, _ = m.name.split("/")
            if split_filter is None or split == split_filter:
                encoded.append((m.name, cls, tf.extractfile(m).read()))
    encoded.sort()
    classes = {c: i for i, c in enumerate(sorted({c for _, c, _ in encoded}))}
    images = [np.asarray(Image.open(io.BytesIO(data)).convert("RGB")) for _, _, data in encoded]
    labels = [classes[c] for _, c, _ in encoded]
    return np.stack(images).transpose(0, 3, 1, 2).copy(), np.array(labels)


class CifarTrain(torch.utils.data.Dataset):
    def __init__(self, images, labels):
        self.images = torch.from_numpy(images)
        self.labels = torch.from_numpy(labels)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i].float().div(255)
        padded = torch.nn.functional.pad(x, (4, 4, 4, 4))
        top, left = torch.randint(0, 9, (2,)).tolist()
        x = padded[:, top:top + 32, left:left + 32]
        if torch.rand(1).item() < 0.5:
            x = x.flip(2)
        return (x - MEAN) / STD, self.labels[i]


def median_ms(fn):
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    report("torch load fashion-mnist (70k, gz IDX, numpy)", median_ms(load_fashion), 70000)
    report("torch cifar10 jpeg decode with PIL (60k)", median_ms(decode_cifar), 60000)
    images, labels = decode_cifar("train")
    loader = torch.utils.data.DataLoader(CifarTrain(images, labels), batch_size=128, shuffle=True, drop_last=True,
                                         num_workers=1, persistent_workers=True, prefetch_factor=4)
    n = 128 * len(loader)

    def epoch():
        for _x, _y in loader:
            pass

    epoch()  # warm-up: starts the worker process
    report("torch loader cifar10 crop+flip+norm b128 (epoch)", median_ms(epoch), n)


if __name__ == "__main__":
    main()
