package dev.apoptosis.tensor.elementwise;

import static dev.apoptosis.testing.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.tensor.KernelTesting;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.norm.BatchNormKernels;
import dev.apoptosis.tensor.norm.LayerNormKernels;
import dev.apoptosis.tensor.norm.Norms;
import dev.apoptosis.tensor.reduce.CrossEntropyKernels;
import dev.apoptosis.tensor.reduce.SoftmaxKernels;
import dev.apoptosis.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The kernels against PyTorch float64 results (tools/fixtures/elementwise_fixtures.py), on both
 * code paths, with float32 tolerances.
 */
class ElementwiseFixturesTest {
    private static float[] floats(Fixtures.Array a) {
        float[] f = new float[a.values().length];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.values()[i];
        return f;
    }

    private interface Unary {
        void run(float[] x, int xo, float[] y, int yo, int n);
    }

    private interface Binary {
        void run(float[] x, int xo, float[] v, int vo, float[] out, int oo, int n);
    }

    private static void activation(String name, Unary forward, Binary backward, ActivationContract.Scalar d2) {
        Fixtures fx = Fixtures.load("elementwise/" + name + ".txt");
        float[] x = floats(fx.array("x"));
        int n = x.length;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        KernelTesting.onBothPaths(path -> {
            float[] y = new float[n], d = new float[n], dd = new float[n];
            forward.run(x, 0, y, 0, n);
            backward.run(x, 0, ones, 0, d, 0, n);
            for (int i = 0; i < n; i++) dd[i] = d2.apply(x[i]);
            assertClose(name + " y " + path, fx.array("y").values(), y, 0, 1e-6, 1e-7);
            assertClose(name + " d1 " + path, fx.array("d1").values(), d, 0, 1e-6, 1e-7);
            assertClose(name + " d2 " + path, fx.array("d2").values(), dd, 0, 1e-6, 1e-7);
        });
    }

    @Test
    void activationsMatchPyTorch() {
        activation("gelu", Gelu.GELU::forward, Gelu.GELU::backward, Gelu.GELU::secondDerivative);
        activation("silu", Silu.SILU::forward, Silu.SILU::backward, Silu.SILU::secondDerivative);
        activation("tanh", TanhKernels.TANH::forward, TanhKernels.TANH::backward, TanhKernels.TANH::secondDerivative);
    }

    @Test
    void softmaxFamilyMatchesPyTorch() {
        Fixtures fx = Fixtures.load("elementwise/softmax.txt");
        Tensor x = fx.tensor("x"), v = fx.tensor("v"), g = fx.tensor("g");
        KernelTesting.onBothPaths(path -> {
            Tensor p = SoftmaxKernels.softmax(x);
            Tensor pDot = SoftmaxKernels.softmaxJvp(p, v);
            assertClose("softmax " + path, fx.array("softmax"), p, 1e-5, 1e-7);
            assertClose("softmax jvp " + path, fx.array("softmax_jvp"), pDot, 1e-5, 1e-6);
            assertClose("softmax vjp " + path, fx.array("softmax_vjp"), SoftmaxKernels.softmaxVjp(p, g), 1e-5, 1e-6);
            assertClose("softmax second " + path, fx.array("softmax_second"), SoftmaxKernels.softmaxSecondOrder(p, pDot, g),
                    1e-5, 1e-6);
            assertClose("log_softmax " + path, fx.array("log_softmax"), SoftmaxKernels.logSoftmax(x), 1e-6, 2e-5);
            assertClose("log_softmax jvp " + path, fx.array("log_softmax_jvp"), SoftmaxKernels.logSoftmaxJvp(p, v), 1e-5, 1e-6);
            assertClose("log_softmax vjp " + path, fx.array("log_softmax_vjp"), SoftmaxKernels.logSoftmaxVjp(p, g), 1e-5, 1e-6);
            assertClose("log_softmax second " + path, fx.array("log_softmax_second"),
                    SoftmaxKernels.logSoftmaxSecondOrder(pDot, g), 1e-5, 1e-6);
        });
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        Fixtures fx = Fixtures.load("elementwise/cross_entropy.txt");
        Tensor z = fx.tensor("z");
        double[] lab = fx.array("labels").values();
        int[] labels = new int[lab.length];
        for (int i = 0; i < lab.length; i++) labels[i] = (int) lab[i];
        for (String tag : new String[] {"s0", "s1"}) {
            float s = (float) fx.doubleAttr("smoothing_" + tag);
            KernelTesting.onBothPaths(path -> {
                CrossEntropyKernels.Result r = CrossEntropyKernels.forward(z, labels, s);
                double expected = fx.array("loss_" + tag).values()[0];
                assertEquals(expected, r.loss(), 1e-6 * Math.abs(expected), "loss " + tag + " " + path);
                assertClose("grad " + tag + " " + path, fx.array("grad_" + tag), CrossEntropyKernels.backward(r.probs(), labels, s),
                        1e-5, 1e-7);
            });
        }
    }

    @Test
    void batchNormMatchesPyTorch() {
        Fixtures fx = Fixtures.load("elementwise/norms.txt");
        float eps = (float) fx.doubleAttr("eps");
        for (String tag : new String[] {"bn2d", "bn1d"}) {
            Tensor x = fx.tensor(tag + "_x"), gamma = fx.tensor(tag + "_gamma"), beta = fx.tensor(tag + "_beta");
            Tensor g = fx.tensor(tag + "_g");
            KernelTesting.onBothPaths(path -> {
                Norms.Stats st = BatchNormKernels.stats(x, eps);
                Norms.Output out = BatchNormKernels.apply(x, st.mean(), st.invStd(), gamma, beta);
                Norms.Grads gr = BatchNormKernels.backward(g, out.xhat(), st.invStd(), gamma);
                assertClose(tag + " y " + path, fx.array(tag + "_y"), out.y(), 1e-5, 1e-6);
                assertClose(tag + " gx " + path, fx.array(tag + "_gx"), gr.gx(), 1e-4, 1e-6);
                assertClose(tag + " ggamma " + path, fx.array(tag + "_ggamma"), gr.gGamma(), 1e-5, 1e-5);
                assertClose(tag + " gbeta " + path, fx.array(tag + "_gbeta"), gr.gBeta(), 1e-5, 1e-5);
            });
        }
    }

    @Test
    void layerNormMatchesPyTorch() {
        Fixtures fx = Fixtures.load("elementwise/norms.txt");
        float eps = (float) fx.doubleAttr("eps");
        Tensor x = fx.tensor("ln_x"), gamma = fx.tensor("ln_gamma"), beta = fx.tensor("ln_beta"), g = fx.tensor("ln_g");
        KernelTesting.onBothPaths(path -> {
            Norms.Stats st = LayerNormKernels.stats(x, eps);
            Norms.Output out = LayerNormKernels.apply(x, st.mean(), st.invStd(), gamma, beta);
            Norms.Grads gr = LayerNormKernels.backward(g, out.xhat(), st.invStd(), gamma);
            assertClose("ln y " + path, fx.array("ln_y"), out.y(), 1e-5, 1e-6);
            assertClose("ln gx " + path, fx.array("ln_gx"), gr.gx(), 1e-4, 1e-6);
            assertClose("ln ggamma " + path, fx.array("ln_ggamma"), gr.gGamma(), 1e-5, 1e-5);
            assertClose("ln gbeta " + path, fx.array("ln_gbeta"), gr.gBeta(), 1e-5, 1e-5);
        });
    }
}
