package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Valid files with unusual features, built here node by node, each imported and run by us and by
 * ONNX Runtime (the oracle) on the same input: initializers listed as graph inputs, Constant nodes
 * of every value kind, older operator sets (Clip bounds as attributes, Softmax's 2-D coercion,
 * Unsqueeze axes as attributes) and opset 20 (Gelu), SiLU and GELU's erf form in other operand orders and
 * groupings, odd names, Gemm without transB and with alpha and beta,
 * auto_pad, and a Reshape fed by a Shape → Gather → Unsqueeze → Concat chain.
 */
class OnnxUnusualFeaturesTest {
    private static Graph check(TinyOnnx t, int... sampleShape) throws Exception {
        byte[] bytes = t.bytes();
        Path f = Path.of("unusual.onnx");
        Graph g = OnnxImport.toGraph(OnnxFile.decode(f, bytes), f).graph();
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = 3;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        Tensor x = Tensor.randn(new Random(8), 2f, shape);
        float[] ours = OnnxTesting.forward(g, x);
        float[] ort = OnnxTesting.runOrt(bytes, t.inputs.get(0).name(), x);
        assertTrue(OnnxTesting.relativeDiff(ours, ort) < 1e-5, "differs from ONNX Runtime by " + OnnxTesting.relativeDiff(ours, ort));
        return g;
    }

    private static List<String> kinds(Graph g) {
        List<String> k = new ArrayList<>();
        for (Node n : g.nodes()) k.add(n.op().kind());
        return k;
    }

    @Test
    void initializersListedAsInputsAndOddNames() throws Exception {
        TinyOnnx t = new TinyOnnx().input("image in/0 ü", 3, 6, 6);
        String w = t.weight("conv weight:0 /ü", 4, 3, 3, 3);
        t.inputs.add(new OnnxValueInfo(w, OnnxTensor.FLOAT, null)); // older exporters list initializers as inputs
        t.node("", "Conv", List.of("image in/0 ü", w), "out put/1", OnnxAttribute.ofInts("kernel_shape", 3, 3),
                OnnxAttribute.ofString("auto_pad", "SAME_UPPER"));
        t.node("relu/ü", "Relu", List.of("out put/1"), "y");
        Graph g = check(t, 3, 6, 6);
        assertEquals(List.of("Input", "Conv2d", "ReLU"), kinds(g));
        assertEquals("image in/0 ü", g.inputs().get(0).name());
    }

    @Test
    void constantNodesOfEveryKindAndGemmWithAlphaBeta() throws Exception {
        TinyOnnx t = new TinyOnnx().input("x", 5);
        t.node("c1", "Constant", List.of(), "b", OnnxAttribute.ofTensor("value",
                OnnxTensor.ofFloats("", new long[] {3}, new float[] {0.5f, -1f, 2f})));
        t.node("c2", "Constant", List.of(), "half", new OnnxAttribute("value_float", OnnxAttribute.FLOAT, 0.5f, 0, null, null, null, null, null));
        t.node("c3", "Constant", List.of(), "shape", OnnxAttribute.ofInts("value_ints", 0, 3));
        t.node("gemm", "Gemm", List.of("x", t.weight("B", 5, 3), "b"), "g", OnnxAttribute.ofFloat("alpha", 0.7f), OnnxAttribute.ofFloat("beta", 1.5f));
        t.node("scale", "Mul", List.of("g", "half"), "h");
        t.node("reshape", "Reshape", List.of("h", "shape"), "y");
        Graph g = check(t, 5);
        assertEquals(List.of("Input", "Linear", "Scale"), kinds(g));
    }

    @Test
    void olderOperatorSets() throws Exception {
        TinyOnnx t = new TinyOnnx().input("x", 6);
        t.opset = 9;
        t.node("fc", "Gemm", List.of("x", t.weight("w", 4, 6), t.weight("b", 4)), "a", OnnxAttribute.ofInt("transB", 1));
        t.node("clip", "Clip", List.of("a"), "c", OnnxAttribute.ofFloat("min", 0), OnnxAttribute.ofFloat("max", 6));
        t.node("soft", "Softmax", List.of("c"), "y"); // opset < 13: axis 1 of a 2-D input is its last
        Graph g = check(t, 6);
        assertEquals(List.of("Input", "Linear", "ReLU6", "Softmax"), kinds(g));

        TinyOnnx u = new TinyOnnx().input("x", 2, 3);
        u.opset = 11;
        u.node("un", "Unsqueeze", List.of("x"), "a", OnnxAttribute.ofInts("axes", 1));
        u.node("flat", "Flatten", List.of("a"), "b");
        u.node("clip", "Clip", List.of("b", u.floats("lo", new long[0], 0f)), "y"); // min only: ReLU
        Graph h = check(u, 2, 3);
        assertEquals(List.of("Input", "Flatten", "ReLU"), kinds(h));
    }

    @Test
    void opset20GeluAndSiluAndTheErfFormInOtherOrders() throws Exception {
        TinyOnnx t = new TinyOnnx().input("x", 6);
        t.opset = 20;
        t.node("gelu", "Gelu", List.of("x"), "a");
        t.node("sig", "Sigmoid", List.of("a"), "s");
        t.node("silu", "Mul", List.of("s", "a"), "b"); // sigmoid(x)·x: the other operand order
        // ½x first, then times (1 + erf(x·(1/√2))): the other grouping of GELU's erf form
        t.node("half", "Mul", List.of("b", t.floats("h", new long[0], 0.5f)), "hb");
        t.node("scaled", "Mul", List.of("b", t.floats("r", new long[0], (float) (1 / Math.sqrt(2)))), "sb");
        t.node("erf", "Erf", List.of("sb"), "e");
        t.node("plus", "Add", List.of(t.floats("one", new long[0], 1f), "e"), "e1");
        t.node("gelu2", "Mul", List.of("hb", "e1"), "y");
        Graph g = check(t, 6);
        assertEquals(List.of("Input", "GELU", "SiLU", "GELU"), kinds(g));
    }

    /**
     * The batch axis moved and merged as nn.MultiheadAttention's export does, built here: [N, T, D]
     * transposed to [T, N, D], a projection, heads merged with the batch [T, N·H, d] by a Reshape fed
     * by a Shape chain, transposed to [N·H, T, d], scores by MatMul with a transposed copy, Softmax,
     * back through the same steps to [N, T, D]. ONNX Runtime is the oracle.
     */
    @Test
    void batchMovedAndMergedWithHeadsAndBack() throws Exception {
        TinyOnnx t = new TinyOnnx().input("x", 5, 8); // N, T = 5, D = 8, H = 2, d = 4
        t.node("tbd", "Transpose", List.of("x"), "a", OnnxAttribute.ofInts("perm", 1, 0, 2));
        t.node("proj", "MatMul", List.of("a", t.weight("w", 8, 8)), "p");
        t.node("shape", "Shape", List.of("p"), "s");
        t.inits.add(OnnxTensor.ofLongs("one", new long[0], new long[] {1}));
        t.inits.add(OnnxTensor.ofLongs("two", new long[0], new long[] {2}));
        t.node("n", "Gather", List.of("s", "one"), "nb", OnnxAttribute.ofInt("axis", 0));
        t.node("nh", "Mul", List.of("nb", "two"), "nh_v");
        t.node("u", "Unsqueeze", List.of("nh_v", t.longs("ax", 0)), "nh1");
        t.node("target", "Concat", List.of(t.longs("t5", 5), "nh1", t.longs("d4", 4)), "tgt", OnnxAttribute.ofInt("axis", 0));
        t.node("heads", "Reshape", List.of("p", "tgt"), "h");
        t.node("bh", "Transpose", List.of("h"), "q", OnnxAttribute.ofInts("perm", 1, 0, 2));
        t.node("kt", "Transpose", List.of("h"), "k", OnnxAttribute.ofInts("perm", 1, 2, 0));
        t.node("scores", "MatMul", List.of("q", "k"), "sc");
        t.node("scale", "Div", List.of("sc", t.floats("c", new long[0], 2f)), "sc2");
        t.node("soft", "Softmax", List.of("sc2"), "pr", OnnxAttribute.ofInt("axis", -1));
        t.node("ctx", "MatMul", List.of("pr", "q"), "cx");
        t.node("back", "Transpose", List.of("cx"), "cb", OnnxAttribute.ofInts("perm", 1, 0, 2));
        t.node("n2", "Gather", List.of("s", "one"), "nb2", OnnxAttribute.ofInt("axis", 0));
        t.node("u2", "Unsqueeze", List.of("nb2", t.longs("ax2", 0)), "n1");
        t.node("target2", "Concat", List.of(t.longs("t5b", 5), "n1", t.longs("d8", 8)), "tgt2", OnnxAttribute.ofInt("axis", 0));
        t.node("merge", "Reshape", List.of("cb", "tgt2"), "m");
        t.node("out", "Transpose", List.of("m"), "y", OnnxAttribute.ofInts("perm", 1, 0, 2));
        Graph g = check(t, 5, 8);
        assertTrue(kinds(g).contains("MatMul") && kinds(g).contains("Permute") && kinds(g).contains("Softmax"), kinds(g).toString());
    }

    @Test
    void reshapeFedByAShapeChain() throws Exception {
        TinyOnnx t = new TinyOnnx().input("x", 4, 3, 3);
        t.node("shape", "Shape", List.of("x"), "s");
        t.inits.add(OnnxTensor.ofLongs("zero", new long[0], new long[] {0})); // a scalar index: Gather drops the axis
        t.node("g0", "Gather", List.of("s", "zero"), "n", OnnxAttribute.ofInt("axis", 0));
        t.node("u0", "Unsqueeze", List.of("n", t.longs("axes0", 0)), "n1");
        t.node("cat", "Concat", List.of("n1", t.longs("rest", 4, -1)), "target", OnnxAttribute.ofInt("axis", 0));
        t.node("conv", "Conv", List.of("x", t.weight("w", 4, 4, 1, 1)), "c");
        t.node("reshape", "Reshape", List.of("c", "target"), "r");
        t.node("tr", "Transpose", List.of("r"), "p", OnnxAttribute.ofInts("perm", 0, 2, 1));
        t.node("soft", "Softmax", List.of("p"), "y", OnnxAttribute.ofInt("axis", -1));
        Graph g = check(t, 4, 3, 3);
        assertEquals(List.of("Input", "Conv2d", "Reshape", "Permute", "Softmax"), kinds(g));
    }
}
