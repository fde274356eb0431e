"""Runs our benchmarks and PyTorch's side by side, alternating, and prints a Markdown table of medians.

Usage (from the repository root, with Debian's torch):
    /usr/bin/python3 bench/side_by_side.py [--rounds 3] [--threads 1 2] [--only kernels,train,autodiff,infer]
        [--models resnet20 experiments/out/cifar10-resnet20/oba-0.5-s0.ckpt ...] [--infer-batch 1,64]

--models names the models of `train` and `infer` (zoo names, or checkpoint files of CIFAR ResNets such
as pruned ones: PyTorch rebuilds their channel counts); `infer` needs files (`bench infer` takes files).

Each round runs, for each thread count, `./apoptosis bench kernels --json` then
`bench/pytorch_kernels.py --json`, and `./apoptosis bench train --json` then `bench/pytorch_train.py
--json`, back to back, so both see the same machine state; `./apoptosis bench autodiff` times its own
ratio within one process. The table reports, per case, the median over rounds of each side and the
median over rounds of the per-round ratio (ours / PyTorch for throughput).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_json(cmd):
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def cpu_model():
    """The CPU's model name and count, so every table names the machine it was measured on."""
    try:
        with open("/proc/cpuinfo") as f:
            name = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "unknown CPU")
    except OSError:
        name = "unknown CPU"
    return f"{name}, {os.cpu_count()} CPUs"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--only", default="kernels,train,autodiff")
    ap.add_argument("--models", nargs="+", default=["resnet20"])
    ap.add_argument("--infer-batch", default="1,64")
    ap.add_argument("--vgg", action="store_true", help="kernels: also the CIFAR VGGs' wider convolutions")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    ours, theirs, ratios = {}, {}, {}
    for r in range(args.rounds):
        for t in args.threads:
            pairs = []
            if "kernels" in parts:
                vgg = ["--vgg"] if args.vgg else []
                pairs.append((["./apoptosis", "--threads", str(t), "bench", "kernels", "--json"] + vgg,
                              ["/usr/bin/python3", "bench/pytorch_kernels.py", "--threads", str(t), "--json"] + vgg, "gflops"))
            if "train" in parts:
                for m in args.models:
                    pairs.append((["./apoptosis", "--threads", str(t), "bench", "train", "--model", m, "--json"],
                                  ["/usr/bin/python3", "bench/pytorch_train.py", "--threads", str(t), "--model", m, "--json"],
                                  "images_per_s"))
            if "infer" in parts:
                pairs.append((["./apoptosis", "--threads", str(t), "bench", "infer", "--rounds", "1", "--reps", "20",
                               "--batch", args.infer_batch, "--json"] + args.models,
                              ["/usr/bin/python3", "bench/pytorch_train.py", "--threads", str(t), "--infer", "--reps", "20",
                               "--batch", args.infer_batch, "--json", "--model"] + args.models, "images_per_s"))
            for ocmd, pcmd, field in pairs:
                o = {x["name"]: x[field] for x in run_json(ocmd)}
                p = {x["name"]: x[field] for x in run_json(pcmd)}
                for name, v in o.items():
                    key = (name, t, field)
                    ours.setdefault(key, []).append(v)
                    if name in p:
                        theirs.setdefault(key, []).append(p[name])
                        ratios.setdefault(key, []).append(v / p[name])
            if "autodiff" in parts:
                for x in run_json(["./apoptosis", "--threads", str(t), "bench", "autodiff", "--json"]):
                    if "ratio" in x:
                        ratios.setdefault((x["name"], t, "ratio"), []).append(x["ratio"])
                    else:
                        ours.setdefault((x["name"], t, "ms"), []).append(x["ms"])
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    med = statistics.median
    print(f"Machine: {cpu_model()}; {args.rounds} round(s), ours and PyTorch alternated\n")
    # Each side's rounds too, so an outlier round can be told apart as ours or PyTorch's.
    print(f"| case | threads | unit | ours | PyTorch | ratio (median of per-round ratios) | per-round ratios "
          f"| per-round ours / PyTorch |")
    print("|---|---|---|---|---|---|---|---|")
    for key in sorted(set(ours) | set(ratios), key=lambda k: (k[1], k[0])):
        name, t, field = key
        o = f"{med(ours[key]):.2f}" if key in ours else ""
        p = f"{med(theirs[key]):.2f}" if key in theirs else ""
        q = f"{med(ratios[key]):.2f}" if key in ratios else ""
        each = " ".join(f"{r:.2f}" for r in ratios[key]) if key in ratios else ""
        sides = " ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(ours[key], theirs[key])) if key in theirs else ""
        print(f"| {name} | {t} | {field} | {o} | {p} | {q} | {each} | {sides} |")


if __name__ == "__main__":
    main()
