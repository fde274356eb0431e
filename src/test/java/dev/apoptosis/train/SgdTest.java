package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Fixtures;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SGD against its formula (reference loop in double) and against torch.optim.SGD fixtures. */
class SgdTest {
    /** A graph whose parameters are a [3, 4] weight and a [3] bias. */
    static Graph linear() {
        GraphBuilder b = new GraphBuilder("lin", 1);
        return b.build(b.add("fc", Linear.of(3), b.input("x", 4)));
    }

    static ParamVector grads(Graph g, Tensor gw, Tensor gb) {
        ParamVector v = ParamVector.zeros(g);
        v.set(0, gw);
        v.set(1, gb);
        return v;
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.at(i), a = actual.at(i);
            assertTrue(Math.abs(e - a) <= 1e-6 * Math.abs(e) + 1e-7, what + "[" + i + "]: expected " + e + ", got " + a);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "wd", "momentum", "momentum_wd", "nesterov_wd"})
    void matchesTorchOptimSgdOverThreeSteps(String name) {
        Fixtures fx = Fixtures.load("train/sgd_" + name + ".txt");
        Graph g = linear();
        g.parameter("fc.weight").value().copyFrom(fx.tensor("w0"));
        g.parameter("fc.bias").value().copyFrom(fx.tensor("b0"));
        Sgd sgd = new Sgd(g, new SgdConfig(fx.doubleAttr("momentum"), fx.doubleAttr("weight_decay"),
                Boolean.parseBoolean(fx.attr("nesterov"))));
        for (int s = 0; s < fx.intAttr("steps"); s++) {
            sgd.step(grads(g, fx.tensor("gw" + s), fx.tensor("gb" + s)), fx.doubleAttr("lr" + s));
            assertClose(fx.tensor("w" + (s + 1)), g.parameter("fc.weight").value(), name + " step " + (s + 1) + " weight");
            assertClose(fx.tensor("b" + (s + 1)), g.parameter("fc.bias").value(), name + " step " + (s + 1) + " bias");
        }
        assertEquals(3, sgd.steps());
    }

    /** The update rule written out in double with an explicit buffer, for any (μ, λ, nesterov). */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void twoStepsFollowTheFormula(int variant) {
        double mu = variant == 0 ? 0 : 0.9, wd = variant >= 2 ? 1e-2 : 0;
        boolean nesterov = variant == 3;
        Graph g = linear();
        Random r = new Random(5);
        Tensor theta0 = g.parameter("fc.weight").value().copy();
        double[] theta = new double[theta0.size()], buf = new double[theta0.size()];
        for (int i = 0; i < theta.length; i++) theta[i] = theta0.at(i);
        Sgd sgd = new Sgd(g, new SgdConfig(mu, wd, nesterov));
        double[] lrs = {0.3, 0.1};
        for (double lr : lrs) {
            Tensor gw = Tensor.randn(r, 1f, 3, 4);
            for (int i = 0; i < theta.length; i++) {
                double d = gw.at(i) + wd * theta[i];
                buf[i] = mu * buf[i] + d;
                double step = mu == 0 ? d : nesterov ? d + mu * buf[i] : buf[i];
                theta[i] -= lr * step;
            }
            sgd.step(grads(g, gw, null), lr);
        }
        Tensor w = g.parameter("fc.weight").value();
        for (int i = 0; i < theta.length; i++) {
            assertEquals(theta[i], w.at(i), 1e-6 * (1 + Math.abs(theta[i])), "variant " + variant + " element " + i);
            assertTrue(w.at(i) != theta0.at(i), "parameter did not move");
        }
    }

    @Test
    void nullGradientSlotIsZeroGradientWithDecay() {
        Graph g = linear();
        float b0 = g.parameter("fc.bias").value().at(0);
        new Sgd(g, new SgdConfig(0, 0.5, false)).step(ParamVector.zeros(g), 0.1);
        assertEquals(b0 * (1 - 0.05f), g.parameter("fc.bias").value().at(0), 1e-7);
    }

    @Test
    void exportedStateResumesBitIdentically() {
        Random r = new Random(9);
        Tensor[][] gs = new Tensor[4][];
        for (int s = 0; s < 4; s++) gs[s] = new Tensor[] {Tensor.randn(r, 1f, 3, 4), Tensor.randn(r, 1f, 3)};
        SgdConfig cfg = new SgdConfig(0.9, 1e-3, true);
        Graph a = linear();
        Sgd sa = new Sgd(a, cfg);
        for (int s = 0; s < 4; s++) sa.step(grads(a, gs[s][0], gs[s][1]), 0.1);

        Graph b = linear();
        Sgd sb = new Sgd(b, cfg);
        for (int s = 0; s < 2; s++) sb.step(grads(b, gs[s][0], gs[s][1]), 0.1);
        OptimizerState st = sb.state();
        assertEquals(2, st.step());
        Graph c = linear();
        c.parameter("fc.weight").value().copyFrom(b.parameter("fc.weight").value());
        c.parameter("fc.bias").value().copyFrom(b.parameter("fc.bias").value());
        Sgd sc = new Sgd(c, cfg);
        sc.loadState(st);
        for (int s = 2; s < 4; s++) sc.step(grads(c, gs[s][0], gs[s][1]), 0.1);
        assertArrayEquals(a.parameter("fc.weight").value().toArray(), c.parameter("fc.weight").value().toArray());
        assertArrayEquals(a.parameter("fc.bias").value().toArray(), c.parameter("fc.bias").value().toArray());
        assertEquals(4, sc.steps());
    }

    @Test
    void sameResultWithOneAndTwoThreadsOnALargeParameter() {
        float[][] results = new float[2][];
        int saved = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                GraphBuilder b = new GraphBuilder("big", 3);
                Graph g = b.build(b.add("fc", Linear.of(300), b.input("x", 400)));
                Sgd s = new Sgd(g, new SgdConfig(0.9, 1e-4, false));
                Random r = new Random(1);
                for (int k = 0; k < 2; k++) s.step(grads(g, Tensor.randn(r, 1f, 300, 400), Tensor.randn(r, 1f, 300)), 0.05);
                results[t - 1] = g.parameter("fc.weight").value().toArray();
            }
        } finally {
            Parallel.setThreads(saved);
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0, 0, true)).getMessage().contains("Nesterov"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SgdConfig(1.0, 0, false)).getMessage().contains("momentum"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0, -1, false)).getMessage().contains("weight decay"));
        Graph g = linear();
        Sgd s = new Sgd(g, SgdConfig.plain());
        assertThrows(IllegalArgumentException.class, () -> s.step(ParamVector.zeros(g), Double.NaN));
        Graph other = linear();
        OptimizerState wrong = new OptimizerState("sgd", 1, java.util.Map.of("fc.weight", Tensor.zeros(4, 3)));
        String msg = assertThrows(IllegalArgumentException.class, () -> new Sgd(other, new SgdConfig(0.9, 0, false)).loadState(wrong)).getMessage();
        assertTrue(msg.contains("fc.weight"), msg);
    }
}
