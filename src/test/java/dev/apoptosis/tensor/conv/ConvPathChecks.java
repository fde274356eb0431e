package dev.apoptosis.tensor.conv;

import static dev.apoptosis.testing.Assertions2.assertBitIdentical;
import static dev.apoptosis.testing.Assertions2.assertClose;
import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.plus;
import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.randn;
import static dev.apoptosis.tensor.conv.Conv2dKernelsTest.tol;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The checks every alternative path of a convolution passes (the implicit GEMMs beside im2col +
 * GEMM, the weight gradient's dot-product paths): against the double-precision loops of {@link ConvReference}, and bit for bit against
 * im2col + GEMM, since which path runs depends on the shape and batch and must not show in a result.
 */
final class ConvPathChecks {
    private ConvPathChecks() {}

    /** Forward with bias (written and accumulated), its pair form, the input gradient and its accumulated pair form. */
    static void matchesReference(String name, ConvGeometry g) {
        Random rng = new Random(name.hashCode());
        Tensor x = randn(rng, g.inputShape()), w = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor x2 = randn(rng, g.inputShape()), w2 = randn(rng, g.weightShape());
        Tensor gy = randn(rng, g.outputShape()), gy2 = randn(rng, g.outputShape());

        double[] y = ConvReference.forward(g, x, w, b);
        Tensor out = Tensor.full(Float.NaN, g.outputShape());
        Conv2dKernels.forwardInto(g, x, w, b, out, false);
        assertClose(name + " forward", y, out.data(), 0, 1e-5, tol(y));
        Tensor acc = randn(rng, g.outputShape());
        double[] eAcc = plus(acc, y);
        Conv2dKernels.forwardInto(g, x, w, b, acc, true);
        assertClose(name + " forward accumulate", eAcc, acc.data(), 0, 1e-5, tol(eAcc));

        double[] pair = plus(y, ConvReference.forward(g, x2, w2, null));
        Tensor pairOut = Tensor.full(Float.NaN, g.outputShape());
        Conv2dKernels.forwardPairInto(g, x, w, x2, w2, b, pairOut, false);
        assertClose(name + " forward pair", pair, pairOut.data(), 0, 1e-5, tol(pair));

        double[] gx = ConvReference.backwardInput(g, gy, w);
        Tensor gxOut = Tensor.full(Float.NaN, g.inputShape());
        Conv2dKernels.backwardInputInto(g, gy, w, gxOut, false);
        assertClose(name + " backwardInput", gx, gxOut.data(), 0, 1e-5, tol(gx));
        double[] gxPair = plus(gx, ConvReference.backwardInput(g, gy2, w2));
        Tensor gxPairOut = randn(rng, g.inputShape());
        double[] eGxPair = plus(gxPairOut, gxPair);
        Conv2dKernels.backwardInputPairInto(g, gy, w, gy2, w2, gxPairOut, true);
        assertClose(name + " backwardInput pair accumulate", eGxPair, gxPairOut.data(), 0, 1e-5, tol(eGxPair));
    }

    /**
     * The same values (a zero's sign aside) with the path off and on ({@code force}): forward with bias,
     * its pair form, the input gradient, and, when {@code accumulating}, a forward added onto y.
     */
    static void equalsTheIm2colPathBitForBit(String name, ConvGeometry g, Consumer<Boolean> force, boolean accumulating) {
        Random rng = new Random(3 * name.hashCode());
        Tensor x = randn(rng, g.inputShape()), w = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor gy = randn(rng, g.outputShape()), x2 = randn(rng, g.inputShape()), w2 = randn(rng, g.weightShape());
        Tensor start = randn(rng, g.outputShape());
        float[][] r = new float[2][], gx = new float[2][], pair = new float[2][], acc = new float[2][];
        for (boolean on : new boolean[] {false, true}) {
            force.accept(on);
            int at = on ? 1 : 0;
            r[at] = Conv2dKernels.forward(g, x, w, b).toArray();
            gx[at] = Conv2dKernels.backwardInput(g, gy, w).toArray();
            Tensor y = Tensor.zeros(g.outputShape());
            Conv2dKernels.forwardPairInto(g, x, w, x2, w2, b, y, false);
            pair[at] = y.toArray();
            Tensor sum = start.copy();
            Conv2dKernels.forwardInto(g, x, w, b, sum, true);
            acc[at] = sum.toArray();
        }
        KernelTesting.assertSameValues(name + " forward", r[0], r[1]);
        KernelTesting.assertSameValues(name + " input gradient", gx[0], gx[1]);
        KernelTesting.assertSameValues(name + " forward pair", pair[0], pair[1]);
        if (accumulating) KernelTesting.assertSameValues(name + " forward accumulate", acc[0], acc[1]);
    }

    /**
     * The forward with bias (and the input gradient) at 1 and 2 threads, bit for bit; leaves the thread
     * count at 2 (callers restore it).
     */
    static void doesNotDependOnThreadCount(String name, ConvGeometry g) {
        Random rng = new Random(~name.hashCode());
        Tensor x = randn(rng, g.inputShape()), w = randn(rng, g.weightShape()), b = randn(rng, g.biasShape());
        Tensor gy = randn(rng, g.outputShape());
        float[][] r = new float[2][], gx = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            r[threads - 1] = Conv2dKernels.forward(g, x, w, b).toArray();
            gx[threads - 1] = Conv2dKernels.backwardInput(g, gy, w).toArray();
        }
        assertBitIdentical(name + " forward", r[0], r[1]);
        assertBitIdentical(name + " input gradient", gx[0], gx[1]);
    }

    /** The weight gradient, written (into NaNs, so every value must be written) and accumulated, against the reference. */
    static void weightGradientMatchesReference(String name, ConvGeometry g) {
        Random rng = new Random(name.hashCode());
        Tensor x = randn(rng, g.inputShape()), gy = randn(rng, g.outputShape());
        double[] gw = ConvReference.backwardWeight(g, x, gy);
        Tensor out = Tensor.full(Float.NaN, g.weightShape());
        Conv2dKernels.backwardWeightInto(g, x, gy, out, false);
        assertClose(name + " weight gradient", gw, out.data(), 0, 1e-5, tol(gw));
        Tensor acc = randn(rng, g.weightShape());
        double[] eAcc = plus(acc, gw);
        Conv2dKernels.backwardWeightInto(g, x, gy, acc, true);
        assertClose(name + " weight gradient accumulate", eAcc, acc.data(), 0, 1e-5, tol(eAcc));
    }

    /** The weight gradient at 1 and 2 threads, bit for bit; leaves the thread count at 2 (callers restore it). */
    static void weightGradientDoesNotDependOnThreadCount(String name, ConvGeometry g) {
        Random rng = new Random(~name.hashCode());
        Tensor x = randn(rng, g.inputShape()), gy = randn(rng, g.outputShape());
        float[][] r = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            r[threads - 1] = Conv2dKernels.backwardWeight(g, x, gy).toArray();
        }
        assertBitIdentical(name + " weight gradient", r[0], r[1]);
    }
}
