"""PyTorch side of `./apoptosis bench train`: images/s of full training steps (forward, cross-entropy,
backward, SGD with momentum 0.9 and weight decay 5e-4) on one fixed random batch of 3x32x32 images,
median of --reps steps after --warmup untimed steps. Same models (CIFAR ResNet-20/32/56 with 1x1
conv+BN shortcuts, VGG-BN, LeNet-5) and the same JSON fields as the Java command:
  {"name":"train/resnet20/batch128","threads":2,"gflops":null,"ms":...,"images_per_s":...}

--model may also be a checkpoint or ONNX file of a CIFAR ResNet, such as a pruned one: its channel counts
are read with `./apoptosis info --json --layers` and the same network is built here, checked by its
parameter count, and named after the file (train/oba-0.5-s0/batch128) as the Java side names it.

Run with Debian's torch: /usr/bin/python3 bench/pytorch_train.py --model resnet20 --batch 128 --threads 2
"""
import argparse
import json
import os
import statistics
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, mid=None, shortcut=None):
        super().__init__()
        mid = mid or cout
        self.conv1 = nn.Conv2d(cin, mid, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if shortcut if shortcut is not None else (stride != 1 or cin != cout):
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, depth, width=16, classes=10, blocks=None):
        """blocks: (mid, out, stride, shortcut) per block, for pruned widths; width is then the stem's."""
        super().__init__()
        n = (depth - 2) // 6
        if blocks is None:
            blocks = [(None, width << s, 2 if s > 0 and i == 0 else 1, None) for s in range(3) for i in range(n)]
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        layers, cin = [], width
        for mid, w, stride, shortcut in blocks:
            layers.append(BasicBlock(cin, w, stride, mid, shortcut))
            cin = w
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


VGG = {11: [1, 1, 2, 2, 2], 16: [2, 2, 3, 3, 3], 19: [2, 2, 4, 4, 4]}


def vgg(depth, width=64, classes=10):
    layers, cin = [], 3
    for s, n in enumerate(VGG[depth]):
        w = width * [1, 2, 4, 8, 8][s]
        for _ in range(n):
            layers += [nn.Conv2d(cin, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            cin = w
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(cin, classes))


def lenet5(classes=10):
    # 3x32x32 input as in the Java bench: no padding on conv1.
    return nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, classes))


def from_file(path):
    """The CIFAR ResNet in a checkpoint or ONNX file, with its channel counts (a pruned model's)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    info = json.loads(subprocess.run([os.path.join(root, "apoptosis"), "info", "--json", "--layers", path],
                                     check=True, capture_output=True, text=True).stdout)
    shape = {n["name"]: n["shape"] for n in info["nodes"]}
    if "layer1.0.conv1" not in shape:
        raise SystemExit(f"{path}: not a CIFAR ResNet (no node layer1.0.conv1); only those are rebuilt here")
    blocks, spatial = [], shape["conv1"][1]
    for s in range(1, 4):
        i = 0
        while f"layer{s}.{i}.conv1" in shape:
            mid, out = shape[f"layer{s}.{i}.conv1"], shape[f"layer{s}.{i}.conv2"]
            blocks.append((mid[0], out[0], spatial // mid[1], f"layer{s}.{i}.shortcut.0" in shape))
            spatial = out[1]
            i += 1
    model = CifarResNet(0, shape["conv1"][0], info["output"][0], blocks)
    params = sum(p.numel() for p in model.parameters())
    if params != info["parameters"]:
        raise SystemExit(f"{path}: rebuilt {params} parameters, the file has {info['parameters']}")
    return model


def label(name):
    """How results name a model: its zoo name, or a file's name without its extension (as the Java side)."""
    return os.path.splitext(os.path.basename(name))[0] if os.path.isfile(name) else name


def build(name):
    if os.path.isfile(name):
        return from_file(name)
    if name.startswith("resnet"):
        return CifarResNet(int(name[6:]))
    if name.startswith("vgg"):
        return vgg(int(name[3:]))
    if name == "lenet5":
        return lenet5()
    raise SystemExit(f"unknown model {name}")


def training_step(name, batch):
    """One SGD training step (momentum 0.9, weight decay 5e-4, lr 0.01) of model `name` on a fixed random
    CIFAR-shaped batch (seed 0), as a function: the step `./apoptosis bench train` times."""
    torch.manual_seed(0)
    model = build(name).train()
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    return step


def inference(name, batch):
    """One evaluation-mode forward pass without autograd on a fixed random batch: what `bench infer` times."""
    torch.manual_seed(0)
    model = build(name).eval()
    x = torch.randn(batch, 3, 32, 32)

    def run():
        with torch.inference_mode():
            model(x)

    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", nargs="+", default=["resnet20"], help="zoo names or CIFAR ResNet files")
    ap.add_argument("--batch", default="128", help="batch sizes, comma-separated")
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--reps", type=int, default=5)
    # The same default as `./apoptosis bench train`: both sides reach their steady state after ~20 steps.
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--infer", action="store_true", help="time inference passes (as `bench infer`), not training steps")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for name in a.model:
        for batch in (int(b) for b in a.batch.split(",")):
            step = inference(name, batch) if a.infer else training_step(name, batch)
            for _ in range(a.warmup):
                step()
            times = []
            for _ in range(a.reps):
                t = time.perf_counter()
                step()
                times.append((time.perf_counter() - t) * 1e3)
            ms = statistics.median(times)
            r = {"name": f"{'infer' if a.infer else 'train'}/{label(name)}/batch{batch}", "threads": a.threads,
                 "gflops": None, "ms": round(ms, 4), "images_per_s": round(batch / (ms / 1e3), 2),
                 "framework": "pytorch " + torch.__version__}
            if a.json:
                print(json.dumps(r, separators=(",", ":")), flush=True)
            else:
                print(f"{r['name']:<44} threads={a.threads}  {ms:10.3f} ms  {r['images_per_s']:9.1f} img/s  (PyTorch)")


if __name__ == "__main__":
    main()
