package dev.apoptosis.bench;

import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The convolutions of CIFAR ResNet-20 at batch 128: 3x3, stride 1, padding 1, no bias, with
 * 16 channels at 32x32, 32 at 16x16 and 64 at 8x8; and on request those of the CIFAR VGGs ({@link #VGG}:
 * 64 channels at 32x32, 128 at 16x16, 256 at 8x8, 512 at 4x4 and at 2x2 (VGG16/19's last block), batch 64). For each, {@code conv_c<C>_h<H>_fwd} times the
 * forward pass, {@code _bwd_input} and {@code _bwd_weight} each gradient alone, and
 * {@code conv_c<C>_h<H>_fwdbwd} the forward pass followed by the input and weight gradients.
 * FLOPs: forward = each gradient = 2 MACs, forward+backward = 3 x forward (the same counting as the
 * PyTorch side, {@code bench/pytorch_kernels.py}, which uses the same names).
 */
public final class ConvBench {
    /** {channels, size, batch} of ResNet-20's convolutions. */
    private static final int[][] LAYERS = {{16, 32, 128}, {32, 16, 128}, {64, 8, 128}};
    /** {channels, size, batch} of the CIFAR VGGs' wider convolutions (the batch halved: these are 9.7 GFLOP a pass, 2.4 at 2x2). */
    public static final int[][] VGG = {{64, 32, 64}, {128, 16, 64}, {256, 8, 64}, {512, 4, 64}, {512, 2, 64}};

    private ConvBench() {}

    public static void run(int threads, Timing.KernelRuns runs, Consumer<BenchResult> sink) {
        run(LAYERS, threads, runs, sink);
    }

    /** Times the convolutions {@code layers} ({channels, size, batch} each). */
    public static void run(int[][] layers, int threads, Timing.KernelRuns runs, Consumer<BenchResult> sink) {
        Random rng = new Random(1);
        for (int[] layer : layers) {
            ConvGeometry g = layer(layer, layer[2]);
            int c = layer[0], h = layer[1];
            Tensor x = Tensor.randn(rng, 1f, g.inputShape());
            Tensor w = Tensor.randn(rng, 0.1f, g.weightShape());
            Tensor gy = Tensor.randn(rng, 1f, g.outputShape());
            Tensor y = Tensor.zeros(g.outputShape()), gx = Tensor.zeros(g.inputShape()), gw = Tensor.zeros(g.weightShape());
            double forwardFlops = 2.0 * g.macs();
            String name = "conv_c" + c + "_h" + h;

            double fwd = runs.medianMillis(() -> Conv2dKernels.forwardInto(g, x, w, null, y, false));
            sink.accept(result(name + "_fwd", threads, fwd, forwardFlops));

            // The two gradients apart, so a gap to PyTorch can be traced to the pass that has it.
            double bwdInput = runs.medianMillis(() -> Conv2dKernels.backwardInputInto(g, gy, w, gx, false));
            sink.accept(result(name + "_bwd_input", threads, bwdInput, forwardFlops));
            double bwdWeight = runs.medianMillis(() -> Conv2dKernels.backwardWeightInto(g, x, gy, gw, false));
            sink.accept(result(name + "_bwd_weight", threads, bwdWeight, forwardFlops));

            double fwdBwd = runs.medianMillis(() -> {
                Conv2dKernels.forwardInto(g, x, w, null, y, false);
                Conv2dKernels.backwardInputInto(g, gy, w, gx, false);
                Conv2dKernels.backwardWeightInto(g, x, gy, gw, false);
            });
            sink.accept(result(name + "_fwdbwd", threads, fwdBwd, 3 * forwardFlops));
        }
    }

    private static ConvGeometry layer(int[] layer, int batch) {
        return ConvGeometry.builder().batch(batch).input(layer[0], layer[1], layer[1]).outChannels(layer[0]).kernel(3)
                .padding(1).build();
    }

    private static BenchResult result(String name, int threads, double ms, double flops) {
        return new BenchResult(name, threads, ms, flops / (ms * 1e6), Double.NaN);
    }
}
