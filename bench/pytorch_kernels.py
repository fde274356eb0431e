"""PyTorch side of `./apoptosis bench kernels`: the same cases, the same JSON fields.

Cases: square sgemm C = A x B for n = 256, 512, 1024 (2 n^3 FLOPs), and the CIFAR ResNet-20
3x3 convolutions (stride 1, padding 1, no bias) at batch 128, forward and forward+backward
(backward = gradients with respect to the input and the weight), and each gradient alone
(`_bwd_input`, `_bwd_weight`). FLOPs of a forward convolution are 2 * N * Cout * Hout * Wout * Cin * k * k,
as are those of each gradient; forward+backward counts 3 times that.

Each case runs untimed for a second (as ours), then is timed `--reps` times; the median time is reported, as our bench does.
Run with Debian's torch: /usr/bin/python3 bench/pytorch_kernels.py --threads 1 [--json]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


WARM_UP_SECONDS = 1.0  # as ours (Timing.KERNEL_WARM_UP_SECONDS): run each case untimed this long first


def median_ms(reps, body):
    end = time.perf_counter() + WARM_UP_SECONDS
    runs = 0
    while runs < 3 or time.perf_counter() < end:
        body()
        runs += 1
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def emit(args, name, ms, flops):
    gflops = flops / (ms * 1e6)
    if args.json:
        print(json.dumps({"name": name, "threads": args.threads, "gflops": round(gflops, 3),
                          "ms": round(ms, 4)}), flush=True)
    else:
        print(f"{name:<44} threads={args.threads}  {ms:10.3f} ms  {gflops:9.2f} GFLOP/s", flush=True)


def bench_sgemm(args):
    gen = torch.Generator().manual_seed(1)
    for n in (256, 512, 1024):
        a = torch.rand(n, n, generator=gen) - 0.5
        b = torch.rand(n, n, generator=gen) - 0.5
        c = torch.empty(n, n)
        ms = median_ms(args.reps, lambda: torch.matmul(a, b, out=c))
        emit(args, f"sgemm_n{n}", ms, 2.0 * n ** 3)


RESNET20 = ((16, 32, 128), (32, 16, 128), (64, 8, 128))
# The CIFAR VGGs' wider convolutions, as `./apoptosis bench kernels --vgg` (ConvBench.VGG).
VGG = ((64, 32, 64), (128, 16, 64), (256, 8, 64), (512, 4, 64), (512, 2, 64))


def bench_conv(args):
    gen = torch.Generator().manual_seed(2)
    for channels, size, batch in RESNET20 + (VGG if args.vgg else ()):
        x = torch.randn(batch, channels, size, size, generator=gen)
        w = torch.randn(channels, channels, 3, 3, generator=gen) * 0.1
        flops = 2.0 * batch * channels * size * size * channels * 9
        prefix = f"conv_c{channels}_h{size}"

        with torch.no_grad():
            ms = median_ms(args.reps, lambda: F.conv2d(x, w, padding=1))
        emit(args, prefix + "_fwd", ms, flops)

        xg = x.clone().requires_grad_(True)
        wg = w.clone().requires_grad_(True)
        grad_out = torch.randn(batch, channels, size, size, generator=gen)

        # The two gradients apart (aten's convolution_backward with one output selected), as ours.
        def backward_only(mask):
            return lambda: torch.ops.aten.convolution_backward(
                grad_out, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)

        with torch.no_grad():
            emit(args, prefix + "_bwd_input", median_ms(args.reps, backward_only([True, False, False])), flops)
            emit(args, prefix + "_bwd_weight", median_ms(args.reps, backward_only([False, True, False])), flops)

        def fwd_bwd():
            xg.grad = None
            wg.grad = None
            y = F.conv2d(xg, wg, padding=1)
            y.backward(grad_out)

        ms = median_ms(args.reps, fwd_bwd)
        emit(args, prefix + "_fwdbwd", ms, 3.0 * flops)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=5, help="timed repetitions per case (median reported)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--only", choices=("sgemm", "conv"), help="run one group of cases")
    p.add_argument("--vgg", action="store_true", help="also the CIFAR VGGs' wider convolutions")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    if args.only != "conv":
        bench_sgemm(args)
    if args.only != "sgemm":
        bench_conv(args)


if __name__ == "__main__":
    main()
