package dev.apoptosis.graph.ops;

import static dev.apoptosis.graph.ops.OpTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ParamSpec;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Conv2dTest {
    private static Graph single(int[] inShape, Conv2d op) {
        GraphBuilder b = new GraphBuilder("conv", 1);
        Node x = b.input("x", inShape);
        return b.build(b.add("op", op, x));
    }

    /** x → conv → 1×1 conv: bilinear terms inside each conv and across the two (series connectivity). */
    private static void derivativeCheck(int[] inShape, Conv2d op, long seed) {
        GraphBuilder b = new GraphBuilder("conv", seed);
        Node x = b.input("x", inShape);
        Node h = b.add("op", op, x);
        Graph g = b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
        OpTestSupport.randomizeState(g, seed);
        Tensor in = OpTestSupport.randn(seed + 1, prepend(2, inShape));
        new DerivativeCheck(g, Map.of("x", in), new QuadraticLoss(seed), null).seed(seed).run();
    }

    static int[] prepend(int n, int[] s) {
        int[] r = new int[s.length + 1];
        r[0] = n;
        System.arraycopy(s, 0, r, 1, s.length);
        return r;
    }

    @Test
    void rulesAgreeWithFiniteDifferences() {
        derivativeCheck(new int[] {3, 5, 6}, Conv2d.of(4, 3, 1, 1, true), 3);
        derivativeCheck(new int[] {4, 7, 7}, Conv2d.builder(6, 3, 2).stride(2, 1).padding(1, 0).dilation(2, 1).groups(2).build(), 4);
        derivativeCheck(new int[] {4, 5, 5}, Conv2d.builder(4, 3).padding(1).groups(4).bias(false).build(), 5);
    }

    @Test
    void matchesPyTorchFixtures() {
        OpFixture.check(single(new int[] {3, 6, 5}, Conv2d.of(4, 3, 1, 1, true)), "conv2d_basic", Mode.BATCH_STATS, 1e-4);
        OpFixture.check(single(new int[] {4, 7, 7}, Conv2d.builder(6, 3, 2).stride(2, 1).padding(1, 0).dilation(2, 1).groups(2).build()),
                "conv2d_strided_dilated_grouped", Mode.BATCH_STATS, 1e-4);
        OpFixture.check(single(new int[] {4, 5, 5}, Conv2d.builder(4, 3).padding(1).groups(4).bias(false).build()),
                "conv2d_depthwise_nobias", Mode.BATCH_STATS, 1e-4);
    }

    @Test
    void obaPlusGaussNewtonIsExactOnAPiecewiseLinearCnn() {
        GraphBuilder b = new GraphBuilder("cnn", 8);
        Node x = b.input("x", 3, 8, 8);
        Node h = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), x));
        h = b.add("relu2", new ReLU(), b.add("conv2", Conv2d.builder(6, 3).stride(2).padding(1).groups(2).build(), h));
        h = b.add("conv3", Conv2d.of(5, 1, 1, 0, false), h);
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), b.add("relu3", new ReLU(), h))));
        OpTestSupport.assertObaPlusGnIsExact(g, Map.of("x", OpTestSupport.randn(9, 4, 3, 8, 8)), new int[] {0, 2, 1, 2},
                Mode.BATCH_STATS, p -> true);
    }

    @Test
    void declaresShapesParametersAndProperties() {
        Conv2d op = Conv2d.builder(8, 3).stride(2).padding(1).groups(2).bias(true).build();
        int[][] in = {{4, 9, 9}};
        assertArrayEquals(new int[] {8, 5, 5}, op.outputShape(in));
        List<ParamSpec> ps = op.params(in);
        assertArrayEquals(new int[] {8, 2, 3, 3}, ps.get(0).shape());
        assertEquals(0, ps.get(0).outChannelAxis());
        assertEquals(1, ps.get(0).inChannelAxis());
        assertArrayEquals(new int[] {8}, ps.get(1).shape());
        assertEquals(8L * 25 * 2 * 9, op.macs(in, op.outputShape(in)));
        assertTrue(op.has(OpProperty.PARAMETER_LAYER));
        OpTestSupport.assertRebuildsFromAttrs(op);
        OpTestSupport.assertRebuildsFromAttrs(Conv2d.builder(3, 1, 5).dilation(1, 2).bias(false).build());
        // Defaults from minimal attributes: stride 1, padding 0, dilation 1, one group, bias on.
        Conv2d d = (Conv2d) OpTestSupport.fromAttrs("Conv2d", Attrs.builder().put("out", 2).put("kernel", 3, 3).build());
        assertEquals(Conv2d.builder(2, 3).build().attrs(), d.attrs());
        // Pruning the producer changes only the weight's in-channel extent, not the attributes.
        assertArrayEquals(new int[] {8, 1, 3, 3}, op.params(new int[][] {{2, 9, 9}}).get(0).shape());
        assertEquals(Conv2d.builder(8, 3).stride(2).padding(1).groups(2).build().toBuilder().withOutChannels(6).build().outChannels(), 6);
    }

    @Test
    void initialisesKaimingNormalFanOutWeightsAndZeroBias() {
        GraphBuilder b = new GraphBuilder("init", 21);
        Node x = b.input("x", 16, 5, 5);
        Graph g = b.build(b.add("op", Conv2d.of(64, 3, 1, 1, true), x));
        Tensor w = g.parameter("op.weight").value();
        double s = 0, s2 = 0;
        for (int i = 0; i < w.size(); i++) {
            s += w.at(i);
            s2 += w.at(i) * (double) w.at(i);
        }
        double mean = s / w.size(), std = Math.sqrt(s2 / w.size() - mean * mean);
        double expected = Math.sqrt(2.0 / (64 * 9));
        assertEquals(expected, std, 0.04 * expected, "weight std");
        assertEquals(0, mean, 0.05 * expected, "weight mean");
        Tensor bias = g.parameter("op.bias").value();
        for (int i = 0; i < bias.size(); i++) assertEquals(0f, bias.at(i));
    }

    @Test
    void badShapesAndSettingsAreReportedWithTheNodeAndShapes() {
        GraphBuilder b = new GraphBuilder("g", 1);
        Node flat = b.input("flat", 12);
        Node img = b.input("img", 3, 4, 4);
        assertError(() -> b.add("c1", Conv2d.of(4, 3, 1, 1, true), flat), "c1", "Conv2d", "[12]");
        assertError(() -> b.add("c2", Conv2d.builder(4, 3).groups(2).build(), img), "c2", "Conv2d", "[3, 4, 4]", "groups 2");
        assertError(() -> b.add("c3", Conv2d.of(4, 7, 1, 1, true), img), "c3", "Conv2d", "[3, 4, 4]", "smaller than the dilated kernel");
        assertError(() -> Conv2d.builder(5, 3).groups(2).build(), "Conv2d", "out channels 5", "groups 2");
        assertError(() -> Conv2d.builder(0, 3).build(), "Conv2d", "out channels");
        assertError(() -> Conv2d.builder(4, 3).padding(-1).build(), "Conv2d", "padding");
        assertError(() -> OpTestSupport.fromAttrs("Conv2d", Attrs.builder().put("out", 2).put("kernel", 3).build()), "kernel");
    }
}
