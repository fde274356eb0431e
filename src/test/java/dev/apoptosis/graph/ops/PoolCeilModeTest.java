package dev.apoptosis.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.testing.DerivativeCheck;
import dev.apoptosis.testing.QuadraticLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Max and average pooling with {@code ceil_mode} (torchvision's SqueezeNet, ONNX files): output
 * sizes by PyTorch's rule, including the case where the last window would start past the input
 * and its left padding and is dropped; the attribute round trip (set only when on, so floor-mode
 * ops keep their stored form); and the rules against finite differences with partial windows. The
 * values are checked against ONNX Runtime in {@code dev.apoptosis.onnx.CeilModePoolingTest}.
 */
class PoolCeilModeTest {
    private static int[] out(Op op, int... in) {
        return op.outputShape(new int[][] {in});
    }

    private static MaxPool2d max(int k, int s, int p) {
        return new MaxPool2d(new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, new int[] {1, 1}, true);
    }

    @Test
    void outputSizesFollowPyTorchsCeilRule() {
        // in 4, k 3, s 2: floor (4-3)/2+1 = 1, ceil 2
        assertArrayEquals(new int[] {2, 2, 2}, out(max(3, 2, 0), 2, 4, 4));
        assertArrayEquals(new int[] {2, 1, 1}, out(new MaxPool2d(3, 2, 0, 1), 2, 4, 4));
        // in 6, k 3, s 2, p 1: floor 3, ceil 4
        assertArrayEquals(new int[] {1, 4, 4}, out(max(3, 2, 1), 1, 6, 6));
        // in 5, k 3, s 3, p 1: ceil(4/3)+1 = 3, but the third window would start at 6 - 1 = 5 >= 5: dropped
        assertArrayEquals(new int[] {1, 2, 2}, out(max(3, 3, 1), 1, 5, 5));
        // SqueezeNet's pools at odd sizes: ceil and floor agree
        assertArrayEquals(out(new MaxPool2d(3, 2, 0, 1), 8, 15, 15), out(max(3, 2, 0), 8, 15, 15));
        AvgPool2d avg = new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, true);
        assertArrayEquals(new int[] {1, 2, 2}, out(avg, 1, 2, 2));
    }

    @Test
    void ceilModeIsAnAttributeOnlyWhenOn() {
        OpTestSupport.assertRebuildsFromAttrs(max(3, 2, 1));
        OpTestSupport.assertRebuildsFromAttrs(new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, true));
        assertEquals(true, max(3, 2, 1).attrs().getBool("ceilMode"));
        assertEquals(false, new MaxPool2d(3, 2, 1, 1).attrs().has("ceilMode"));
        assertNotEquals(max(3, 2, 1).attrs(), new MaxPool2d(3, 2, 1, 1).attrs());
    }

    @Test
    void rulesAgreeWithFiniteDifferencesWithPartialWindows() {
        Op[] ops = {max(3, 2, 1), new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, true),
                new AvgPool2d(new int[] {3, 2}, new int[] {2, 2}, new int[] {0, 1}, false, true)};
        for (Op op : ops) {
            GraphBuilder b = new GraphBuilder("pool", 2);
            Node h = b.add("op", op, b.add("conv", Conv2d.of(3, 3, 1, 1, true), b.input("x", 2, 6, 6)));
            Graph g = b.build(b.add("mix", Conv2d.of(2, 1, 1, 0, true), h));
            new DerivativeCheck(g, Map.of("x", OpTestSupport.randn(3, 2, 2, 6, 6)), new QuadraticLoss(4), null).run();
        }
    }
}
