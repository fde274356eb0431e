package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Adjoints;
import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Frame;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Op;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Concat;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.GELU;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.LayerNorm;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MatMul;
import dev.apoptosis.graph.ops.Permute;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.Reshape;
import dev.apoptosis.graph.ops.Scale;
import dev.apoptosis.graph.ops.Softmax;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One test per coupling scenario: which members a group has, how root channels map to each
 * member's indices, what is unprunable and why; every prunable group then passes the surgery
 * invariant (outputs unchanged after removing channels that carried zeros).
 */
class CouplingScenariosTest {
    private final Random rng = new Random(5);

    /** The group holding {@code member} ("node.tensor[axis]"); fails if there is none. */
    private static Group groupOf(DependencyGroups gs, String member) {
        for (Group g : gs.groups()) for (Member m : g.members()) if (m.describe().equals(member)) return g;
        throw new AssertionError("no group holds " + member + "; groups: " + gs.groups());
    }

    private static Set<String> members(Group g) {
        Set<String> s = new HashSet<>();
        for (Member m : g.members()) s.add(m.describe());
        return s;
    }

    private static Member member(Group g, String d) {
        for (Member m : g.members()) if (m.describe().equals(d)) return m;
        throw new AssertionError(g + " has no member " + d);
    }

    /** Surgery invariant on every prunable group of a freshly built graph each time. */
    private void invariantOnEveryGroup(Supplier<Graph> build, int... inputShape) {
        int[] shape = new int[inputShape.length + 1];
        shape[0] = 2;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        Tensor x = Tensor.randn(rng, 1f, shape);
        DependencyGroups gs = DependencyGroups.of(build.get());
        assertFalse(gs.prunable().isEmpty());
        for (Group g : gs.prunable()) SurgeryInvariant.check(build.get(), g.id(), x, rng);
    }

    private static Graph convBnReluConv() {
        GraphBuilder b = new GraphBuilder("chain", 1);
        Node x = b.input("input", 3, 6, 6);
        x = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), b.add("conv1", Conv2d.of(8, 3, 1, 1, false), x)));
        x = b.add("relu2", new ReLU(), b.add("bn2", new BatchNorm2d(), b.add("conv2", Conv2d.of(6, 3, 1, 1, true), x)));
        return b.build(b.add("fc", Linear.of(4), b.add("gap", new GlobalAvgPool(), x)));
    }

    @Test
    void convBatchNormReluConv() {
        DependencyGroups gs = DependencyGroups.of(convBnReluConv());
        Group g = groupOf(gs, "conv1.weight[0]");
        assertEquals(Set.of("conv1.weight[0]", "bn1.weight[0]", "bn1.bias[0]", "bn1.running_mean[0]", "bn1.running_var[0]",
                "conv2.weight[1]"), members(g));
        assertEquals(8, g.channels());
        assertTrue(g.prunable() && g.exact());
        Group g2 = groupOf(gs, "conv2.weight[0]");
        assertTrue(members(g2).containsAll(Set.of("conv2.bias[0]", "bn2.running_var[0]", "fc.weight[1]")));
        invariantOnEveryGroup(CouplingScenariosTest::convBnReluConv, 3, 6, 6);
    }

    /** Stem, an identity block, a projection block (stride 2, 1x1 conv + BN shortcut), pool, classifier. */
    private static Graph residualChain() {
        GraphBuilder b = new GraphBuilder("res", 2);
        Node x = b.input("input", 3, 8, 8);
        Node stem = b.add("stem.relu", new ReLU(), b.add("stem.bn", new BatchNorm2d(), b.add("stem.conv", Conv2d.of(8, 3, 1, 1, false), x)));
        Node y = b.add("b1.relu1", new ReLU(), b.add("b1.bn1", new BatchNorm2d(), b.add("b1.conv1", Conv2d.of(8, 3, 1, 1, false), stem)));
        y = b.add("b1.bn2", new BatchNorm2d(), b.add("b1.conv2", Conv2d.of(8, 3, 1, 1, false), y));
        Node s1 = b.add("b1.relu", new ReLU(), b.add("b1.add", new Add(), y, stem));
        Node z = b.add("b2.relu1", new ReLU(), b.add("b2.bn1", new BatchNorm2d(), b.add("b2.conv1", Conv2d.of(12, 3, 2, 1, false), s1)));
        z = b.add("b2.bn2", new BatchNorm2d(), b.add("b2.conv2", Conv2d.of(12, 3, 1, 1, false), z));
        Node sc = b.add("b2.sc.bn", new BatchNorm2d(), b.add("b2.sc.conv", Conv2d.of(12, 1, 2, 0, false), s1));
        Node s2 = b.add("b2.relu", new ReLU(), b.add("b2.add", new Add(), z, sc));
        Node z3 = b.add("b3.bn", new BatchNorm2d(), b.add("b3.conv", Conv2d.of(12, 3, 1, 1, false), s2));
        Node s3 = b.add("b3.add", new Add(), s2, z3);
        return b.build(b.add("fc", Linear.of(5), b.add("gap", new GlobalAvgPool(), s3)));
    }

    @Test
    void residualChainIsOneGroupPerStage() {
        DependencyGroups gs = DependencyGroups.of(residualChain());
        Group stage1 = groupOf(gs, "stem.conv.weight[0]");
        assertTrue(members(stage1).containsAll(Set.of("stem.bn.weight[0]", "b1.conv2.weight[0]", "b1.bn2.running_mean[0]",
                "b1.conv1.weight[1]", "b2.conv1.weight[1]", "b2.sc.conv.weight[1]")), members(stage1).toString());
        Group stage2 = groupOf(gs, "b2.conv2.weight[0]");
        assertTrue(members(stage2).containsAll(Set.of("b2.sc.conv.weight[0]", "b2.sc.bn.bias[0]", "b3.conv.weight[1]",
                "b3.conv.weight[0]", "b3.bn.weight[0]", "fc.weight[1]")), members(stage2).toString());
        assertEquals(12, stage2.channels());
        Group inner = groupOf(gs, "b1.conv1.weight[0]");
        assertEquals(Set.of("b1.conv1.weight[0]", "b1.bn1.weight[0]", "b1.bn1.bias[0]", "b1.bn1.running_mean[0]",
                "b1.bn1.running_var[0]", "b1.conv2.weight[1]"), members(inner));
        invariantOnEveryGroup(CouplingScenariosTest::residualChain, 3, 8, 8);
    }

    private static Graph denseBlock() {
        GraphBuilder b = new GraphBuilder("dense", 3);
        Node x = b.input("input", 3, 5, 5);
        Node c0 = b.add("conv0", Conv2d.of(8, 3, 1, 1, true), x);
        Node y1 = b.add("relu1", new ReLU(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), c0));
        Node cat1 = b.add("cat1", new Concat(), c0, y1);
        Node y2 = b.add("relu2", new ReLU(), b.add("conv2", Conv2d.of(4, 3, 1, 1, true), cat1));
        Node cat2 = b.add("cat2", new Concat(), cat1, y2);
        Node out = b.add("conv3", Conv2d.of(6, 1, 1, 0, true), cat2);
        return b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), out)));
    }

    @Test
    void concatOffsets() {
        DependencyGroups gs = DependencyGroups.of(denseBlock());
        Group g0 = groupOf(gs, "conv0.weight[0]");
        assertEquals(Set.of("conv0.weight[0]", "conv0.bias[0]", "conv1.weight[1]", "conv2.weight[1]", "conv3.weight[1]"), members(g0));
        assertArrayEquals(new int[] {5}, g0.indicesOf(member(g0, "conv3.weight[1]"), 5));
        Group g1 = groupOf(gs, "conv1.weight[0]");
        assertArrayEquals(new int[] {8 + 2}, g1.indicesOf(member(g1, "conv2.weight[1]"), 2));
        assertArrayEquals(new int[] {8 + 2}, g1.indicesOf(member(g1, "conv3.weight[1]"), 2));
        Group g2 = groupOf(gs, "conv2.weight[0]");
        assertArrayEquals(new int[] {12 + 3}, g2.indicesOf(member(g2, "conv3.weight[1]"), 3));
        invariantOnEveryGroup(CouplingScenariosTest::denseBlock, 3, 5, 5);
    }

    private static Graph flattenIntoLinear() {
        GraphBuilder b = new GraphBuilder("flat", 4);
        Node x = b.input("input", 1, 6, 6);
        x = b.add("pool", new dev.apoptosis.graph.ops.MaxPool2d(2), b.add("relu", new ReLU(), b.add("conv", Conv2d.of(4, 3, 1, 1, true), x)));
        x = b.add("fc1", Linear.of(10), b.add("flatten", new Flatten(), x));
        return b.build(b.add("fc2", Linear.of(3), b.add("relu2", new ReLU(), x)));
    }

    @Test
    void flattenMakesEachChannelABlockOfFeatures() {
        DependencyGroups gs = DependencyGroups.of(flattenIntoLinear());
        Group g = groupOf(gs, "conv.weight[0]");
        int[] idx = g.indicesOf(member(g, "fc1.weight[1]"), 1);
        assertArrayEquals(new int[] {9, 10, 11, 12, 13, 14, 15, 16, 17}, idx);
        invariantOnEveryGroup(CouplingScenariosTest::flattenIntoLinear, 1, 6, 6);
    }

    /** 1x1 conv, depthwise 3x3 (groups = channels), 1x1 conv, then a grouped conv (2 groups) and a 1x1 conv. */
    private static Graph mobileBlock() {
        GraphBuilder b = new GraphBuilder("mobile", 5);
        Node x = b.input("input", 3, 6, 6);
        x = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), b.add("expand", Conv2d.of(8, 1, 1, 0, false), x)));
        x = b.add("relu2", new ReLU(), b.add("bn2", new BatchNorm2d(),
                b.add("dw", Conv2d.builder(8, 3).padding(1).groups(8).bias(false).build(), x)));
        x = b.add("bn3", new BatchNorm2d(), b.add("project", Conv2d.of(6, 1, 1, 0, false), x));
        x = b.add("relu4", new ReLU(), b.add("grouped", Conv2d.builder(4, 3).padding(1).groups(2).bias(true).build(), x));
        x = b.add("last", Conv2d.of(5, 1, 1, 0, true), x);
        return b.build(b.add("fc", Linear.of(3), b.add("gap", new GlobalAvgPool(), x)));
    }

    @Test
    void groupedAndDepthwiseConvolutions() {
        DependencyGroups gs = DependencyGroups.of(mobileBlock());
        Group dw = groupOf(gs, "expand.weight[0]");
        assertTrue(members(dw).containsAll(Set.of("bn1.weight[0]", "dw.weight[0]", "bn2.running_var[0]", "project.weight[1]")),
                members(dw).toString());
        // project's 6 outputs feed a 2-group conv: whole groups of 3 (with the grouped conv's 2 filters
        // per group), and the channel index within a group, tied across groups.
        Group whole = null, within = null;
        for (Group g : gs.groups()) {
            if (!members(g).contains("project.weight[0]")) continue;
            if (g.kind() == Group.Kind.BLOCKS) whole = g;
            else within = g;
        }
        assertNotNull(whole);
        assertNotNull(within);
        assertEquals(2, whole.channels());
        assertEquals(3, within.channels());
        assertArrayEquals(new int[] {3, 4, 5}, whole.indicesOf(member(whole, "project.weight[0]"), 1));
        assertArrayEquals(new int[] {2, 3}, whole.indicesOf(member(whole, "grouped.weight[0]"), 1));
        assertArrayEquals(new int[] {1, 4}, within.indicesOf(member(within, "project.weight[0]"), 1));
        assertArrayEquals(new int[] {1}, within.indicesOf(member(within, "grouped.weight[1]"), 1));
        Group perGroupOut = groupOf(gs, "last.weight[1]");
        assertEquals(2, perGroupOut.channels());
        invariantOnEveryGroup(CouplingScenariosTest::mobileBlock, 3, 6, 6);
    }

    /** Pre-norm attention with 2 heads of width 4 on 5 tokens of width 8, then an MLP of 12 hidden units. */
    private static Graph attentionBlock() {
        int t = 5, d = 8, h = 2;
        GraphBuilder b = new GraphBuilder("attn", 6);
        Node x = b.input("input", t, d);
        Node n = b.add("norm1", new LayerNorm(1e-6), x);
        Node[] qkv = new Node[3];
        String[] names = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            Node y = b.add(names[i], Linear.of(d), n);
            y = b.add(names[i] + ".split", new Reshape(t, h, d / h), y);
            qkv[i] = b.add(names[i] + ".heads", new Permute(1, 0, 2), y);
        }
        Node s = b.add("scale", new Scale(0.5), b.add("qk", new MatMul(true), qkv[0], qkv[1]));
        Node a = b.add("av", new MatMul(), b.add("softmax", new Softmax(), s), qkv[2]);
        a = b.add("merge", new Reshape(t, d), b.add("unpermute", new Permute(1, 0, 2), a));
        x = b.add("add1", new Add(), x, b.add("proj", Linear.of(d), a));
        Node m = b.add("fc2", Linear.of(d), b.add("act", new GELU(), b.add("fc1", Linear.of(12), b.add("norm2", new LayerNorm(1e-6), x))));
        x = b.add("add2", new Add(), x, m);
        return b.build(b.add("head", Linear.of(3), b.add("cls", new dev.apoptosis.graph.ops.SelectToken(0), x)));
    }

    @Test
    void attentionHeadsHeadWidthsAndValueWidths() {
        DependencyGroups gs = DependencyGroups.of(attentionBlock());
        Group heads = null, qk = null, v = null;
        for (Group g : gs.groups()) {
            Set<String> ms = members(g);
            if (g.kind() == Group.Kind.BLOCKS && ms.contains("q.weight[0]")) heads = g;
            if (g.kind() == Group.Kind.STRIDED && ms.contains("q.weight[0]")) qk = g;
            if (g.kind() == Group.Kind.STRIDED && ms.contains("v.weight[0]")) v = g;
        }
        assertNotNull(heads, gs.groups().toString());
        assertEquals(2, heads.channels());
        assertEquals(Set.of("q.weight[0]", "q.bias[0]", "k.weight[0]", "k.bias[0]", "v.weight[0]", "v.bias[0]", "proj.weight[1]"),
                members(heads));
        assertArrayEquals(new int[] {4, 5, 6, 7}, heads.indicesOf(member(heads, "proj.weight[1]"), 1));
        assertEquals(4, qk.channels());
        assertEquals(Set.of("q.weight[0]", "q.bias[0]", "k.weight[0]", "k.bias[0]"), members(qk));
        assertArrayEquals(new int[] {1, 5}, qk.indicesOf(member(qk, "k.weight[0]"), 1));
        assertEquals(Set.of("v.weight[0]", "v.bias[0]", "proj.weight[1]"), members(v));
        assertArrayEquals(new int[] {2, 6}, v.indicesOf(member(v, "proj.weight[1]"), 2));
        invariantOnEveryGroup(CouplingScenariosTest::attentionBlock, 5, 8);
    }

    @Test
    void wholeHeadsAreSelectedOnlyWhenAskedAndReplaceHeadWidths() {
        Graph g = attentionBlock();
        DependencyGroups gs = DependencyGroups.of(g);
        List<ChannelScores.GroupScores> flat = new java.util.ArrayList<>();
        for (Group grp : gs.prunable()) {
            double[] v = new double[grp.channels()];
            for (int r = 0; r < v.length; r++) v[r] = r + 1;
            flat.add(new ChannelScores.GroupScores(grp, v, v, 1));
        }
        Selector.Selection widths = Selector.select(gs, flat, 0, java.util.Map.of(), new Selector.Settings(false, 0.5, 1, false));
        Selector.Selection heads = Selector.select(gs, flat, 0, java.util.Map.of(), new Selector.Settings(false, 0.5, 1, true));
        assertTrue(widths.removals().keySet().stream().noneMatch(x -> x.kind() == Group.Kind.BLOCKS));
        assertTrue(widths.removals().keySet().stream().anyMatch(x -> x.kind() == Group.Kind.STRIDED));
        assertTrue(heads.removals().keySet().stream().anyMatch(x -> x.kind() == Group.Kind.BLOCKS));
        assertTrue(heads.removals().keySet().stream().noneMatch(x -> x.kind() == Group.Kind.STRIDED));
        Graph oneHead = Surgery.remove(gs, heads.removals()).graph();
        assertArrayEquals(new int[] {5, 1, 4}, oneHead.node("q.split").outputShape(), "one head of width 4 left");
        SurgeryInvariant.runsAllPasses(oneHead, Tensor.randn(rng, 1f, 2, 5, 8));
    }

    @Test
    void transformerMlpHiddenUnits() {
        DependencyGroups gs = DependencyGroups.of(attentionBlock());
        Group g = groupOf(gs, "fc1.weight[0]");
        assertEquals(Set.of("fc1.weight[0]", "fc1.bias[0]", "fc2.weight[1]"), members(g));
        assertEquals(12, g.channels());
        assertTrue(g.exact());
    }

    @Test
    void vitEmbeddingWidthIsOneGroupThroughEveryBlock() {
        Graph vit = ModelZoo.build("vit", ModelOptions.defaults().withClasses(4).withInput(3, 8, 8).withWidth(64).withSeed(1));
        DependencyGroups gs = DependencyGroups.of(vit);
        Group g = groupOf(gs, "patch_embed.proj.weight[0]");
        Set<String> ms = members(g);
        for (String m : List.of("patch_embed.proj.bias[0]", "cls_token.token[1]", "pos_embed.embedding[1]", "blocks.0.norm1.weight[0]",
                "blocks.0.attn.q.weight[1]", "blocks.0.attn.proj.weight[0]", "blocks.5.mlp.fc2.bias[0]", "blocks.5.mlp.fc1.weight[1]",
                "norm.weight[0]", "head.weight[1]")) {
            assertTrue(ms.contains(m), m + " missing from " + ms);
        }
        assertTrue(g.prunable());
        assertFalse(g.exact(), "LayerNorm statistics run over the embedding width");
        assertTrue(g.statisticsCoupledBy().contains("blocks.0.norm1"));
        // Removing embedding channels still gives a model that runs every pass.
        Graph smaller = Surgery.remove(gs, java.util.Map.of(g, new int[] {0, 7, 33})).graph();
        SurgeryInvariant.runsAllPasses(smaller, Tensor.randn(rng, 1f, 2, 3, 8, 8));
        assertEquals(61, smaller.parameter("cls_token.token").value().dim(1));
    }

    @Test
    void modelInputChannelsAndOutputClassesAreNeverPrunable() {
        DependencyGroups gs = DependencyGroups.of(convBnReluConv());
        Group in = groupOf(gs, "conv1.weight[1]");
        assertFalse(in.prunable());
        assertTrue(in.reason().contains("model input"), in.reason());
        Group out = groupOf(gs, "fc.weight[0]");
        assertFalse(out.prunable());
        assertTrue(out.reason().contains("model output"), out.reason());
        assertThrowsOnPrune(gs, out);
    }

    private static void assertThrowsOnPrune(DependencyGroups gs, Group g) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Surgery.remove(gs, java.util.Map.of(g, new int[] {0})));
        assertTrue(e.getMessage().contains("cannot prune"), e.getMessage());
    }

    @Test
    void aReshapeAcrossChannelBoundariesMakesItsGroupUnprunable() {
        GraphBuilder b = new GraphBuilder("odd", 7);
        Node x = b.input("input", 2, 4, 4);
        x = b.add("conv", Conv2d.of(6, 3, 1, 1, true), x);
        x = b.add("cut", new Reshape(4, 24), x);
        Graph g = b.build(b.add("fc", Linear.of(3), b.add("flat", new Flatten(), b.add("lin", Linear.of(5), x))));
        Group grp = groupOf(DependencyGroups.of(g), "conv.weight[0]");
        assertFalse(grp.prunable());
        assertTrue(grp.reason().contains("'cut'") && grp.reason().contains("Reshape"), grp.reason());
    }

    @Test
    void softmaxOverChannelsPinsThem() {
        GraphBuilder b = new GraphBuilder("sm", 8);
        Node x = b.input("input", 6);
        x = b.add("sm", new Softmax(), b.add("fc1", Linear.of(7), x));
        Graph g = b.build(b.add("fc2", Linear.of(3), x));
        Group grp = groupOf(DependencyGroups.of(g), "fc1.weight[0]");
        assertFalse(grp.prunable());
        assertTrue(grp.reason().contains("'sm'"), grp.reason());
    }

    /** An op kind without a channel rule: everything it touches is unprunable, named in the reason. */
    static final class Mystery extends Op {
        @Override public String kind() { return "Mystery"; }
        @Override public Attrs attrs() { return Attrs.empty(); }
        @Override public Set<OpProperty> properties() { return Set.of(OpProperty.PIECEWISE_LINEAR); }
        @Override public int arity() { return 1; }
        @Override public int[] outputShape(int[][] in) { return in[0].clone(); }
        @Override public Tensor forward(Frame f) { return f.inputs[0].copy(); }
        @Override public void backward(Frame f, Tensor gy, Adjoints out) { if (out.wantsInput(0)) out.input(0, gy); }
        @Override public Tensor tangent(Frame f, Tensor[] xDot, Tensor[] pDot) { return xDot[0]; }
        @Override public void rBackward(Frame f, Tensor gy, Tensor gyDot, Tensor[] xDot, Tensor[] pDot, Curvature c, Adjoints out) {
            if (out.wantsInput(0) && gyDot != null) out.input(0, gyDot);
        }
    }

    @Test
    void anOpWithoutAChannelRuleMakesWhatItTouchesUnprunable() {
        GraphBuilder b = new GraphBuilder("mystery", 9);
        Node x = b.input("input", 6);
        Node h = b.add("fc1", Linear.of(7), x);
        Node m = b.add("m", new Mystery(), b.add("relu", new ReLU(), h));
        Node y = b.add("fc2", Linear.of(5), m);
        Graph g = b.build(b.add("fc3", Linear.of(3), b.add("relu2", new ReLU(), y)));
        DependencyGroups gs = DependencyGroups.of(g);
        Group grp = groupOf(gs, "fc1.weight[0]");
        assertFalse(grp.prunable());
        assertTrue(grp.reason().contains("'m' (Mystery) has no channel rule"), grp.reason());
        assertTrue(groupOf(gs, "fc2.weight[0]").prunable(), "groups the op does not touch stay prunable");
    }
}
