"""PyTorch side of `./apoptosis bench profile --by-node`: where a ResNet-20 training step's
convolution time goes in PyTorch, per layer shape.

Times the same step as bench/pytorch_train.py (same model, random batch, SGD) with torch.profiler and
prints, per convolution shape, the mean self-CPU time of the forward (aten::mkldnn_convolution) and of
the backward (aten::convolution_backward) per call, after --warmup untimed steps.
Run with Debian's torch: /usr/bin/python3 bench/pytorch_profile.py --threads 2
"""
import argparse
import importlib.util
import os

import torch
from torch.profiler import ProfilerActivity, profile


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--model", default="resnet20")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--steps", type=int, default=5)
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
    print(f"{'pass':9s} {'input, weight shapes':52s} {'calls/step':>10s} {'ms/call':>8s}   threads={a.threads}")
    for e in p.key_averages(group_by_input_shape=True):
        kind = {"aten::mkldnn_convolution": "forward", "aten::convolution_backward": "backward"}.get(e.key)
        if kind:
            shapes = str(e.input_shapes[:2]) if kind == "forward" else str(e.input_shapes[1:3])
            print(f"{kind:9s} {shapes:52s} {e.count / a.steps:10.0f} {e.self_cpu_time_total / e.count / 1000:8.2f}")


if __name__ == "__main__":
    main()
