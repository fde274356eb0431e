"""PyTorch side of `./apoptosis bench profile --by-node`: where a ResNet-20 training step's
convolution time goes in PyTorch, per layer shape.

Times the same step as bench/pytorch_train.py (same model, random batch, SGD) with torch.profiler and
prints, per convolution shape, the median (and range) over all calls of the self-CPU time of the
forward (aten::mkldnn_convolution) and of the backward (aten::convolution_backward), after --warmup
untimed steps; `bench profile --by-node` reports medians too.
Run with Debian's torch: /usr/bin/python3 bench/pytorch_profile.py --threads 2
"""
import argparse
import importlib.util
import os
import statistics
from collections import defaultdict

import torch
from torch.profiler import ProfilerActivity, profile


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--model", default="resnet20")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--steps", type=int, default=9)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    spec = importlib.util.spec_from_file_location(
        "pytorch_train", os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch_train.py"))
    pt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pt)
    step = pt.training_step(a.model, a.batch)
    for _ in range(a.warmup):
        step()
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
        for _ in range(a.steps):
            step()
    calls = defaultdict(list)
    kinds = {"aten::mkldnn_convolution": "forward", "aten::convolution_backward": "backward"}
    for e in p.events():
        kind = kinds.get(e.name)
        if kind:
            shapes = str(e.input_shapes[:2]) if kind == "forward" else str(e.input_shapes[1:3])
            calls[(kind, shapes)].append(e.self_cpu_time_total / 1000)
    print(f"{'pass':9s} {'input, weight shapes':52s} {'calls/step':>10s} {'median ms':>9s} {'min':>6s} {'max':>6s}"
          f"   threads={a.threads}, {a.steps} steps")
    for (kind, shapes), ms in calls.items():
        print(f"{kind:9s} {shapes:52s} {len(ms) / a.steps:10.0f} {statistics.median(ms):9.2f} {min(ms):6.2f} {max(ms):6.2f}")

if __name__ == "__main__":
    main()
