"""PyTorch side of `./apoptosis bench train`: images/s of full training steps (forward, cross-entropy,
backward, SGD with momentum 0.9 and weight decay 5e-4) on one fixed random batch of 3x32x32 images,
median of --reps steps after --warmup untimed steps. Same models (CIFAR ResNet-20/32/56 with 1x1
conv+BN shortcuts, VGG-BN, LeNet-5) and the same JSON fields as the Java command:
  {"name":"train/resnet20/batch128","threads":2,"gflops":null,"ms":...,"images_per_s":...}

Run with Debian's torch: /usr/bin/python3 bench/pytorch_train.py --model resnet20 --batch 128 --threads 2
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, depth, width=16, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        layers, cin = [], width
        for s in range(3):
            for i in range(n):
                w = width << s
                layers.append(BasicBlock(cin, w, 2 if s > 0 and i == 0 else 1))
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


def build(name):
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="resnet20")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--reps", type=int, default=5)
    # The same default as `./apoptosis bench train`: both sides reach their steady state after ~20 steps.
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    step = training_step(a.model, a.batch)
    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.reps):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    ms = statistics.median(times)
    r = {"name": f"train/{a.model}/batch{a.batch}", "threads": a.threads, "gflops": None, "ms": round(ms, 4),
         "images_per_s": round(a.batch / (ms / 1e3), 2), "framework": "pytorch " + torch.__version__}
    if a.json:
        print(json.dumps(r, separators=(",", ":")))
    else:
        print(f"{r['name']:<44} threads={a.threads}  {ms:10.3f} ms  {r['images_per_s']:9.1f} img/s  (PyTorch)")


if __name__ == "__main__":
    main()
