"""PyTorch side of ./apoptosis bench elementwise (dev.apoptosis.bench.ElementwiseBench): the same cases and sizes, median ms.
Run: /usr/bin/python3 bench/elementwise_bench.py [threads...]
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

N, C, HW = 64, 64, 32 * 32
SIZE = N * C * HW
ROWS, COLS = 8192, 512


WARM_UP_SECONDS = 1.0  # as ours (Timing.KERNEL_WARM_UP_SECONDS): run each case untimed this long first


def median_ms(fn, reps=9):
    end = time.perf_counter() + WARM_UP_SECONDS
    runs = 0
    while runs < 3 or time.perf_counter() < end:
        fn()
        runs += 1
    t = []
    for _ in range(reps):
        s = time.perf_counter()
        fn()
        t.append((time.perf_counter() - s) * 1e3)
    return statistics.median(t)


def report(name, threads, ms):
    print(f"{name:<26} threads={threads} {ms:9.3f} ms {ms * 1e6 / SIZE:7.3f} ns/elem")


def run(threads):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    x = torch.rand(SIZE, generator=g) - 0.5
    gr = torch.rand(SIZE, generator=g) - 0.5
    y = torch.empty(SIZE)
    report("relu_fwd", threads, median_ms(lambda: torch.clamp_min(x, 0, out=y)))
    report("gelu_fwd", threads, median_ms(lambda: F.gelu(x)))
    report("gelu_bwd", threads, median_ms(lambda: torch.ops.aten.gelu_backward(gr, x)))
    report("silu_fwd", threads, median_ms(lambda: F.silu(x)))
    report("tanh_fwd", threads, median_ms(lambda: torch.tanh(x, out=y)))
    report("add", threads, median_ms(lambda: torch.add(x, gr, out=y)))
    report("axpy", threads, median_ms(lambda: y.add_(x, alpha=0.5)))
    report("sum", threads, median_ms(lambda: x.sum(dtype=torch.float64)))
    x4 = x.view(N, C, 32, 32)
    report("sum_per_channel_nchw", threads, median_ms(lambda: x4.sum(dim=(0, 2, 3), dtype=torch.float64)))
    x2 = x.view(ROWS, COLS)
    report("softmax_8192x512", threads, median_ms(lambda: torch.softmax(x2, -1)))
    report("log_softmax_8192x512", threads, median_ms(lambda: torch.log_softmax(x2, -1)))
    gamma, beta = torch.full((C,), 1.5), torch.zeros(C)
    report("batchnorm_fwd_train", threads, median_ms(lambda: F.batch_norm(x4, None, None, gamma, beta, training=True)))
    save_mean, save_invstd = torch.zeros(C), torch.ones(C)
    g4 = gr.view(N, C, 32, 32)
    report("batchnorm_bwd_train", threads, median_ms(lambda: torch.ops.aten.native_batch_norm_backward(
        g4, x4, gamma, None, None, save_mean, save_invstd, True, 1e-5, [True, True, True])))
    lg, lb = torch.full((COLS,), 1.5), torch.zeros(COLS)
    report("layernorm_fwd_8192x512", threads, median_ms(lambda: F.layer_norm(x2, (COLS,), lg, lb)))
    _, mean, rstd = torch.ops.aten.native_layer_norm(x2, [COLS], lg, lb, 1e-5)
    report("layernorm_bwd_8192x512", threads, median_ms(lambda: torch.ops.aten.native_layer_norm_backward(
        gr.view(ROWS, COLS), x2, [COLS], mean, rstd, lg, lb, [True, True, True])))


if __name__ == "__main__":
    with torch.no_grad():
        for t in ([int(a) for a in sys.argv[1:]] or [1, 2]):
            run(t)
