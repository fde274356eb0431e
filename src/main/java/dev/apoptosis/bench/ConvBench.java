package dev.apoptosis.bench;

import java.util.function.Consumer;

/** ResNet-20 convolution benchmark; filled in with the convolution kernels. */
public final class ConvBench {
    private ConvBench() {}

    public static void run(int threads, int reps, Consumer<BenchResult> sink) {
        throw new UnsupportedOperationException("ConvBench: convolution kernels not built yet");
    }
}
