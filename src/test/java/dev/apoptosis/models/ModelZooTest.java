package dev.apoptosis.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Zoo models against published parameter and MAC counts, and against counts derived independently
 * here from each architecture's table (conv: k²·Cin·Cout per output pixel; BN: 2 parameters per channel).
 */
class ModelZooTest {
    /** Parameters of a k×k conv without bias followed by BN. */
    static long convBnParams(int cin, int cout, int k) {
        return (long) k * k * cin * cout + 2L * cout;
    }

    static long convMacs(int cin, int cout, int k, int hw) {
        return (long) k * k * cin * cout * hw * hw;
    }

    /** Sum of MACs of the Conv2d, Linear and MatMul nodes only (what published counts include). */
    static long layerMacs(Graph g) {
        long m = 0;
        for (Node n : g.nodes()) {
            String k = n.op().kind();
            if (k.equals("Conv2d") || k.equals("Linear") || k.equals("MatMul")) m += n.macs();
        }
        return m;
    }

    @Test
    void resnet20ClassicMatchesPublishedAndDerivedCounts() {
        Graph g = ModelZoo.build("resnet20", ModelOptions.defaults());
        // Derived: stem, 3 stages of 3 blocks (two 3x3 conv+BN), two 1x1 projection shortcuts, fc.
        long p = convBnParams(3, 16, 3), macs = convMacs(3, 16, 3, 32);
        int[] w = {16, 32, 64}, hw = {32, 16, 8};
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) {
                int cin = i == 0 && s > 0 ? w[s - 1] : w[s];
                p += convBnParams(cin, w[s], 3) + convBnParams(w[s], w[s], 3);
                macs += convMacs(cin, w[s], 3, hw[s]) + convMacs(w[s], w[s], 3, hw[s]);
                if (cin != w[s]) {
                    p += convBnParams(cin, w[s], 1);
                    macs += convMacs(cin, w[s], 1, hw[s]);
                }
            }
        }
        p += 64 * 10 + 10;
        macs += 640;
        assertEquals(p, g.numParameters());
        assertEquals(272_474L, g.numParameters()); // the same network in PyTorch (bench/pytorch_train.py)
        assertEquals(macs, layerMacs(g));
        // Published: 0.27M parameters, ~41M MACs (with projection shortcuts).
        assertEquals(0.27e6, g.numParameters(), 0.005e6);
        assertEquals(41e6, layerMacs(g), 0.6e6);
        assertTrue(g.macs() >= layerMacs(g));
        assertArrayEquals(new int[] {10}, g.output().outputShape());
    }

    @Test
    void deeperAndWideResnetsScaleAsExpected() {
        Graph r32 = ModelZoo.build("resnet32", ModelOptions.defaults());
        Graph r56 = ModelZoo.build("resnet56", ModelOptions.defaults());
        assertEquals(0.46e6, r32.numParameters(), 0.01e6); // published 0.46M
        assertEquals(0.85e6, r56.numParameters(), 0.01e6); // published 0.85M
        assertEquals(69e6, layerMacs(r32), 2e6);
        assertEquals(126e6, layerMacs(r56), 2e6);
        Graph wide = ModelZoo.build("resnet20", ModelOptions.defaults().withWidth(64));
        // 4x the channels everywhere: conv weights grow 16x (the stem 4x, fc 4x).
        assertEquals(4.3e6, wide.numParameters(), 0.05e6);
        assertArrayEquals(new int[] {64, 32, 32}, wide.node("layer1.0.conv1").outputShape());
        assertArrayEquals(new int[] {256, 8, 8}, wide.node("layer3.2.relu2").outputShape());
        assertEquals(Init_KAIMING(), wide.parameter("layer2.0.conv1.weight").spec().init().name());
    }

    private static String Init_KAIMING() {
        return "KAIMING_NORMAL_FAN_OUT";
    }

    @Test
    void vgg19BnMatchesPublishedCounts() {
        Graph g = ModelZoo.build("vgg19", ModelOptions.defaults());
        assertEquals(20_035_018L, g.numParameters()); // the same network in PyTorch (bench/pytorch_train.py)
        assertEquals(399e6, layerMacs(g), 1.5e6);
        for (Parameter p : g.parameters()) {
            if (p.node().op().kind().equals("Conv2d")) assertTrue(p.name().endsWith("weight"), "VGG convs have no bias: " + p.name());
        }
        assertEquals(1, g.nodes().stream().filter(n -> n.op().kind().equals("Linear")).count());
        assertEquals(9.23e6, ModelZoo.build("vgg11", ModelOptions.defaults()).numParameters(), 0.02e6);
        assertEquals(14.73e6, ModelZoo.build("vgg16", ModelOptions.defaults()).numParameters(), 0.02e6);
    }

    @Test
    void resnet50MatchesTorchvisionCounts() {
        Graph g = ModelZoo.build("resnet50", ModelOptions.defaults().withClasses(1000));
        assertEquals(25_557_032L, g.numParameters()); // torchvision.models.resnet50
        assertEquals(4.1e9, layerMacs(g), 0.05e9);
        assertArrayEquals(new int[] {2048, 7, 7}, g.node("layer4.2.relu3").outputShape());
    }

    @Test
    void vitTinyMatchesTimmAndCifarVitHasTheDerivedSize() {
        Graph t = ModelZoo.build("vit-tiny", ModelOptions.defaults().withClasses(1000));
        assertEquals(5_717_416L, t.numParameters()); // timm vit_tiny_patch16_224
        // ~1.26 GMACs: patch embedding, 12 blocks of (4 D^2 + 2 D*4D) per token plus 2 T^2 D for attention, head.
        long tok = 197, d = 192;
        long expected = 196L * 192 * 3 * 16 * 16 + 12 * (tok * 12 * d * d + 2 * tok * tok * d) + 192 * 1000;
        assertEquals(expected, layerMacs(t));
        assertEquals(1.26e9, layerMacs(t), 0.02e9);
        Graph c = ModelZoo.build("vit", ModelOptions.defaults());
        long perBlock = 4 * (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 4 * d;
        assertEquals(3 * 16 * d + d + d + 65 * d + 6 * perBlock + 2 * d + d * 10 + 10, c.numParameters());
        assertArrayEquals(new int[] {3, 65, 64}, c.node("blocks.0.attn.q.heads").outputShape());
        assertArrayEquals(new int[] {3, 65, 65}, c.node("blocks.5.attn.softmax").outputShape());
    }

    @Test
    void lenet5AndMlpHaveTheirTextbookSizes() {
        Graph l = ModelZoo.build("lenet5", ModelOptions.defaults());
        assertEquals(61_706, l.numParameters());
        assertEquals(416_520, layerMacs(l));
        Graph m = ModelZoo.build("mlp", ModelOptions.defaults().withInput(1, 8, 8).withWidth(32));
        assertEquals(64 * 32 + 32 + 32 * 32 + 32 + 32 * 10 + 10, m.numParameters());
    }

    @Test
    void everyModelRunsForwardWithTheRightOutputShapeOnSmallInputs() {
        Random r = new Random(1);
        for (String name : ModelZoo.entries().keySet()) {
            if (name.equals("resnet50") || name.startsWith("vgg") || name.equals("vit-tiny")) continue; // shapes/MACs only: too slow here
            int[] in = name.equals("mlp") || name.equals("lenet5") ? new int[] {1, 28, 28} : new int[] {3, 32, 32};
            Graph g = ModelZoo.build(name, ModelOptions.defaults().withClasses(7).withInput(in).withWidth(name.equals("mlp") ? 16 : 0));
            int[] shape = new int[in.length + 1];
            shape[0] = 2;
            System.arraycopy(in, 0, shape, 1, in.length);
            try (Pass p = Pass.forward(g, Tensor.randn(r, 1f, shape), Mode.EVAL)) {
                assertArrayEquals(new int[] {2, 7}, p.output().shape(), name);
            }
        }
    }

    @Test
    void seedsAreReproducibleAndDistinct() {
        Graph a = ModelZoo.build("resnet20", ModelOptions.defaults().withSeed(5));
        Graph b = ModelZoo.build("resnet20", ModelOptions.defaults().withSeed(5));
        Graph c = ModelZoo.build("resnet20", ModelOptions.defaults().withSeed(6));
        assertArrayEquals(a.parameter("conv1.weight").value().toArray(), b.parameter("conv1.weight").value().toArray());
        assertNotEquals(a.parameter("conv1.weight").value().at(0), c.parameter("conv1.weight").value().at(0));
    }

    @Test
    void kaimingNormalInitHasTheRightScale() {
        Graph g = ModelZoo.build("resnet20", ModelOptions.defaults().withWidth(64));
        Tensor w = g.parameter("layer3.0.conv2.weight").value(); // [256, 256, 3, 3], fan-out 256*9
        double ss = 0;
        for (int i = 0; i < w.size(); i++) ss += (double) w.at(i) * w.at(i);
        assertEquals(Math.sqrt(2.0 / (256 * 9)), Math.sqrt(ss / w.size()), 0.01 * Math.sqrt(2.0 / (256 * 9)));
    }

    @Test
    void unknownModelAndBadInputsAreClearErrors() {
        String msg = assertThrows(IllegalArgumentException.class, () -> ModelZoo.build("resnet18", ModelOptions.defaults())).getMessage();
        assertTrue(msg.contains("resnet18") && msg.contains("resnet20"), msg);
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.build("resnet20", ModelOptions.defaults().withInput(3, 32)));
        String tiny = assertThrows(IllegalArgumentException.class, () -> ModelZoo.build("lenet5", ModelOptions.defaults().withInput(1, 8, 8))).getMessage();
        assertTrue(tiny.contains("conv2") || tiny.contains("pool"), tiny);
    }
}
