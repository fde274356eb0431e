package dev.apoptosis.onnx;

import dev.apoptosis.BuildVersion;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Graph} as an ONNX model (IR version 8, default operator set 17) for inference:
 * every parameter and buffer becomes an initializer under its full name ({@code layer1.0.conv1.weight}),
 * every node's output is the value named after the node, the batch dimension is the symbolic
 * {@code "batch"}, and the model's metadata properties carry the given metadata (a checkpoint's,
 * entry for entry, so whatever a checkpoint records, pruning provenance included, travels with the
 * file), the exported graph's MACs and parameter count, and the exporting tool.
 *
 * <p>How each op is written (N is the batch axis; our sample axes are ONNX axes 1..):
 * <ul>
 * <li>Conv2d → Conv; Linear on vectors → Gemm(transB=1); Linear on tokens → MatMul by Wᵀ, then Add
 *     of the bias (the form PyTorch writes); BatchNorm2d → BatchNormalization (momentum 1 − m, as
 *     ONNX counts it), or, with {@link Options#foldBatchNorm}, folded into the convolution before it
 *     when that convolution feeds nothing else;</li>
 * <li>ReLU → Relu; ReLU6 → Clip(0, 6); GELU → x·½·(1 + erf(x/√2)) in ONNX ops (Gelu only
 *     exists from opset 20); SiLU → x·Sigmoid(x); Tanh, Softmax (axis −1), LayerNorm
 *     (LayerNormalization, axis −1) as themselves;</li>
 * <li>MaxPool2d → MaxPool, AvgPool2d → AveragePool (in ceil mode with count_include_pad, as zero Pad
 *     then AveragePool counting only the padded input, PyTorch's form, since runtimes disagree on a
 *     window that overhangs), GlobalAvgPool → GlobalAveragePool + Flatten;
 *     Add → Add, Concat → Concat on the channel axis, Flatten → Flatten, Reshape → Reshape with
 *     0 for the batch, Permute → Transpose, Scale → Mul by a constant, Dropout → Identity;</li>
 * <li>MatMul → MatMul (a transposed second operand through Transpose); ClassToken → Concat of the
 *     token expanded to the batch (Shape, Slice, Concat, Expand), PositionalEmbedding → Add,
 *     SelectToken → Gather on the token axis; Embedding → Gather of the table's rows at the ids cast
 *     to int64.</li>
 * </ul>
 * Any other op kind is an IllegalArgumentException naming the node.
 */
public final class OnnxExport {
    /** The op kinds {@link #toModel} writes (every kind the engine registers; a test keeps the two equal). */
    public static final java.util.Set<String> KINDS = java.util.Set.of("Input", "Conv2d", "BatchNorm2d", "Linear", "ReLU", "ReLU6",
            "Tanh", "SiLU", "GELU", "Softmax", "LayerNorm", "MaxPool2d", "AvgPool2d", "GlobalAvgPool", "Add", "Concat", "Flatten",
            "Reshape", "Permute", "Scale", "Dropout", "MatMul", "ClassToken", "PositionalEmbedding", "SelectToken", "Embedding");
    public static final long OPSET = 17;
    public static final long IR_VERSION = 8;
    /** The symbolic name of the batch dimension of inputs and outputs. */
    public static final String BATCH = "batch";

    /**
     * @param foldBatchNorm fold each BatchNorm2d into the Conv2d before it when that convolution feeds nothing else
     * @param masks         per-parameter 0/1 masks by full name, over the parameters' own masks (a masked-pruned
     *                      graph's, {@code Graph.masks()}, are always applied): the weights are written multiplied
     *                      by them, so pruned weights are exact zeros in the file
     */
    public record Options(boolean foldBatchNorm, Map<String, Tensor> masks) {
        public Options {
            masks = masks == null ? Map.of() : Map.copyOf(masks);
        }

        public static Options defaults() {
            return new Options(false, Map.of());
        }
    }

    private final Graph graph;
    private final Options options;
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Map<String, String> valueOf = new HashMap<>();

    private OnnxExport(Graph graph, Options options) {
        this.graph = graph;
        this.options = options;
        for (Node n : graph.nodes()) for (Node i : n.inputs()) consumers.merge(i.name(), 1, Integer::sum);
    }

    /** The ONNX model of {@code graph} with {@code metadata} as its metadata properties. */
    public static OnnxModel toModel(Graph graph, Map<String, String> metadata, Options options) {
        OnnxExport e = new OnnxExport(graph, options);
        for (Node n : graph.nodes()) e.emit(n);
        List<OnnxValueInfo> inputs = new ArrayList<>();
        for (Node in : graph.inputs()) inputs.add(valueInfo(in.name(), in.outputShape()));
        Node out = graph.output();
        OnnxGraph g = new OnnxGraph(graph.name(), e.nodes, e.initializers, inputs,
                List.of(valueInfo(e.value(out), out.outputShape())));
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("params", Long.toString(graph.numParameters()));
        meta.put("macs", Long.toString(graph.macs()));
        meta.put("export.tool", "apoptosis " + BuildVersion.version());
        meta.put("export.fold_bn", Boolean.toString(options.foldBatchNorm()));
        return new OnnxModel(IR_VERSION, "apoptosis", BuildVersion.version(), Map.of("", OPSET), g, meta);
    }

    private static OnnxValueInfo valueInfo(String name, int[] sampleShape) {
        List<OnnxValueInfo.Dim> dims = new ArrayList<>();
        dims.add(OnnxValueInfo.Dim.symbolic(BATCH));
        for (int d : sampleShape) dims.add(OnnxValueInfo.Dim.of(d));
        return new OnnxValueInfo(name, OnnxTensor.FLOAT, dims);
    }

    /** The ONNX value holding node {@code n}'s output. */
    private String value(Node n) {
        return valueOf.getOrDefault(n.name(), n.name());
    }

    private String in(Node n, int i) {
        return value(n.inputs().get(i));
    }

    /** Adds ONNX node {@code name}; the importer names the engine node after the ONNX node that completes it. */
    private void node(String name, String op, List<String> inputs, String output, OnnxAttribute... attrs) {
        nodes.add(new OnnxNode(name, op, "", inputs, List.of(output), List.of(attrs)));
    }

    /** The parameter's value as floats, multiplied by its mask when it has one (given in the options, else its own). */
    private float[] values(Parameter p) {
        float[] v = p.value().toArray();
        Tensor m = options.masks().getOrDefault(p.name(), p.trainable() ? p.mask() : null);
        if (m != null) {
            if (m.size() != v.length) throw new IllegalArgumentException("mask of " + p.name() + " has " + m.size() + " values, the parameter " + v.length);
            for (int i = 0; i < v.length; i++) if (m.at(i) == 0) v[i] = 0f; // +0, not the -0 of a negative weight times 0
        }
        return v;
    }

    private String initializer(String name, int[] shape, float[] values) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) dims[i] = shape[i];
        initializers.add(OnnxTensor.ofFloats(name, dims, values));
        return name;
    }

    private String param(Node n, String local) {
        Parameter p = parameter(n, local);
        return initializer(p.name(), p.value().shape(), values(p));
    }

    private String scalar(String name, float v) {
        return initializer(name, new int[0], new float[] {v});
    }

    private String longs(String name, long... v) {
        initializers.add(OnnxTensor.ofLongs(name, new long[] {v.length}, v));
        return name;
    }

    private static long[] longs(int[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) l[i] = v[i];
        return l;
    }

    private void emit(Node n) {
        if (n.isInput()) return;
        String name = n.name();
        Attrs a = n.op().attrs();
        String x = n.inputs().isEmpty() ? null : in(n, 0);
        switch (n.op().kind()) {
            case "Conv2d" -> conv(n, a);
            case "BatchNorm2d" -> {
                if (valueOf.containsKey(name)) return; // folded into its convolution
                node(name, "BatchNormalization", List.of(x, param(n, "weight"), param(n, "bias"), param(n, "running_mean"),
                        param(n, "running_var")), name, OnnxAttribute.ofFloat("epsilon", (float) a.getDouble("eps")),
                        OnnxAttribute.ofFloat("momentum", (float) (1 - a.getDouble("momentum"))));
            }
            case "Linear" -> linear(n, a, x);
            case "ReLU" -> node(name, "Relu", List.of(x), name);
            case "ReLU6" -> node(name, "Clip", List.of(x, scalar(name + ".min", 0f), scalar(name + ".max", 6f)), name);
            case "Tanh" -> node(name, "Tanh", List.of(x), name);
            case "SiLU" -> {
                node(name + "/sigmoid", "Sigmoid", List.of(x), name + "/sigmoid");
                node(name, "Mul", List.of(x, name + "/sigmoid"), name);
            }
            case "GELU" -> {
                // PyTorch's own form of the exact GELU: x·½·(1 + erf(x/√2)).
                node(name + "/div", "Div", List.of(x, scalar(name + ".sqrt2", (float) Math.sqrt(2))), name + "/div");
                node(name + "/erf", "Erf", List.of(name + "/div"), name + "/erf");
                node(name + "/add", "Add", List.of(name + "/erf", scalar(name + ".one", 1f)), name + "/add");
                node(name + "/mul", "Mul", List.of(x, name + "/add"), name + "/mul");
                node(name, "Mul", List.of(name + "/mul", scalar(name + ".half", 0.5f)), name);
            }
            case "Softmax" -> node(name, "Softmax", List.of(x), name, OnnxAttribute.ofInt("axis", -1));
            case "LayerNorm" -> node(name, "LayerNormalization", List.of(x, param(n, "weight"), param(n, "bias")), name,
                    OnnxAttribute.ofInt("axis", -1), OnnxAttribute.ofFloat("epsilon", (float) a.getDouble("eps")));
            case "MaxPool2d", "AvgPool2d" -> pool(n, a, x);
            case "GlobalAvgPool" -> {
                node(name, "GlobalAveragePool", List.of(x), name + "/pool");
                node(name + "/flatten", "Flatten", List.of(name + "/pool"), name, OnnxAttribute.ofInt("axis", 1));
            }
            case "Add" -> node(name, "Add", List.of(x, in(n, 1)), name);
            case "Concat" -> {
                List<String> ins = new ArrayList<>();
                for (int i = 0; i < n.inputs().size(); i++) ins.add(in(n, i));
                int[] s = n.inputShapes()[0];
                node(name, "Concat", ins, name, OnnxAttribute.ofInt("axis", 1 + dev.apoptosis.graph.ops.Concat.concatAxis(s)));
            }
            case "Flatten" -> node(name, "Flatten", List.of(x), name, OnnxAttribute.ofInt("axis", 1));
            case "Reshape" -> {
                int[] s = n.outputShape();
                long[] shape = new long[s.length + 1];
                for (int i = 0; i < s.length; i++) shape[i + 1] = s[i];
                node(name, "Reshape", List.of(x, longs(name + ".shape", shape)), name); // 0: keep the batch
            }
            case "Permute" -> {
                int[] p = a.getInts("perm");
                long[] perm = new long[p.length + 1];
                for (int i = 0; i < p.length; i++) perm[i + 1] = p[i] + 1;
                node(name, "Transpose", List.of(x), name, OnnxAttribute.ofInts("perm", perm));
            }
            case "Scale" -> node(name, "Mul", List.of(x, scalar(name + ".factor", (float) a.getDouble("factor"))), name);
            case "Dropout" -> node(name, "Identity", List.of(x), name);
            case "MatMul" -> {
                String b = in(n, 1);
                if (a.getBool("transposeB", false)) {
                    int r = n.inputShapes()[1].length + 1;
                    long[] perm = new long[r];
                    for (int i = 0; i < r; i++) perm[i] = i;
                    perm[r - 1] = r - 2;
                    perm[r - 2] = r - 1;
                    node(name + "/transpose", "Transpose", List.of(b), name + "/transpose", OnnxAttribute.ofInts("perm", perm));
                    b = name + "/transpose";
                }
                node(name, "MatMul", List.of(x, b), name);
            }
            case "ClassToken" -> classToken(n, x);
            case "PositionalEmbedding" -> {
                Parameter p = parameter(n, "embedding");
                int[] s = p.value().shape();
                int[] withBatch = new int[s.length + 1];
                withBatch[0] = 1;
                System.arraycopy(s, 0, withBatch, 1, s.length);
                node(name, "Add", List.of(x, initializer(p.name(), withBatch, values(p))), name);
            }
            case "SelectToken" -> {
                int i = a.getInt("index");
                initializers.add(OnnxTensor.ofLongs(name + ".index", new long[0], new long[] {i}));
                node(name, "Gather", List.of(x, name + ".index"), name, OnnxAttribute.ofInt("axis", 1));
            }
            case "Embedding" -> {
                // Ids arrive as floats (every activation is); Gather wants integers.
                node(name + "/ids", "Cast", List.of(x), name + "/ids", OnnxAttribute.ofInt("to", OnnxTensor.INT64));
                node(name, "Gather", List.of(param(n, "weight"), name + "/ids"), name, OnnxAttribute.ofInt("axis", 0));
            }
            default -> throw new IllegalArgumentException("node '" + name + "': op " + n.op().kind() + " has no ONNX export");
        }
    }

    private void conv(Node n, Attrs a) {
        String name = n.name();
        int[] k = a.getInts("kernel"), s = a.getInts("stride"), p = a.getInts("padding"), d = a.getInts("dilation");
        Parameter w = parameter(n, "weight");
        float[] weight = values(w);
        float[] bias = a.getBool("bias") ? values(parameter(n, "bias")) : null;
        String output = name;
        Node bn = foldableBatchNorm(n);
        if (bn != null) {
            // BN(conv(x)) = γ (W⋆x + b − μ)/√(σ² + ε) + β: scale each output channel's filter and shift its bias.
            float[] gamma = values(parameter(bn, "weight")), beta = values(parameter(bn, "bias"));
            float[] mean = values(parameter(bn, "running_mean")), var = values(parameter(bn, "running_var"));
            double eps = bn.op().attrs().getDouble("eps");
            int out = gamma.length, per = weight.length / out;
            float[] b = new float[out];
            for (int c = 0; c < out; c++) {
                double f = gamma[c] / Math.sqrt(var[c] + eps);
                for (int i = 0; i < per; i++) weight[c * per + i] = (float) (weight[c * per + i] * f);
                b[c] = (float) (((bias != null ? bias[c] : 0) - mean[c]) * f + beta[c]);
            }
            bias = b;
            output = bn.name();
            valueOf.put(bn.name(), output);
        }
        List<String> ins = new ArrayList<>(List.of(in(n, 0), initializer(w.name(), w.value().shape(), weight)));
        if (bias != null) ins.add(initializer(name + ".bias", new int[] {bias.length}, bias));
        nodes.add(new OnnxNode(name, "Conv", "", ins, List.of(output), List.of(
                OnnxAttribute.ofInts("kernel_shape", k[0], k[1]), OnnxAttribute.ofInts("strides", s[0], s[1]),
                OnnxAttribute.ofInts("pads", p[0], p[1], p[0], p[1]), OnnxAttribute.ofInts("dilations", d[0], d[1]),
                OnnxAttribute.ofInt("group", a.getInt("groups")))));
    }

    /** The BatchNorm2d to fold into convolution {@code conv}, or null. */
    private Node foldableBatchNorm(Node conv) {
        if (!options.foldBatchNorm() || consumers.getOrDefault(conv.name(), 0) != 1 || conv == graph.output()) return null;
        for (Node m : graph.nodes()) {
            if (m.op().kind().equals("BatchNorm2d") && m.inputs().get(0) == conv) return m;
        }
        return null;
    }

    private void linear(Node n, Attrs a, String x) {
        String name = n.name();
        Parameter w = parameter(n, "weight");
        boolean bias = a.getBool("bias");
        if (n.inputShapes()[0].length == 1) {
            List<String> ins = new ArrayList<>(List.of(x, param(n, "weight")));
            if (bias) ins.add(param(n, "bias"));
            node(name, "Gemm", ins, name, OnnxAttribute.ofInt("transB", 1));
            return;
        }
        // Tokens [T, in]: Gemm takes matrices only, so x·Wᵀ as MatMul with the transposed weight, as PyTorch writes it.
        int out = w.value().dim(0), inF = w.value().dim(1);
        float[] v = values(w), t = new float[v.length];
        for (int o = 0; o < out; o++) for (int i = 0; i < inF; i++) t[i * out + o] = v[o * inF + i];
        String wt = initializer(w.name() + "_transposed", new int[] {inF, out}, t);
        if (!bias) {
            node(name, "MatMul", List.of(x, wt), name);
            return;
        }
        node(name + "/matmul", "MatMul", List.of(x, wt), name + "/matmul");
        node(name, "Add", List.of(name + "/matmul", param(n, "bias")), name);
    }

    private void pool(Node n, Attrs a, String x) {
        int[] k = a.getInts("kernel"), s = a.getInts("stride"), p = a.getInts("padding");
        List<OnnxAttribute> attrs = new ArrayList<>(List.of(OnnxAttribute.ofInts("kernel_shape", k[0], k[1]),
                OnnxAttribute.ofInts("strides", s[0], s[1]), OnnxAttribute.ofInts("pads", p[0], p[1], p[0], p[1])));
        if (a.getBool("ceilMode", false)) attrs.add(OnnxAttribute.ofInt("ceil_mode", 1));
        String op;
        if (n.op().kind().equals("MaxPool2d")) {
            op = "MaxPool";
            int[] d = a.getInts("dilation");
            attrs.add(OnnxAttribute.ofInts("dilations", d[0], d[1]));
        } else {
            op = "AveragePool";
            boolean includePad = a.getBool("countIncludePad", true);
            if (includePad && a.getBool("ceilMode", false)) {
                // A ceil-mode window may overhang the padded input, and runtimes disagree on whether the
                // overhang counts (ONNX Runtime: yes; our op, as PyTorch: no). PyTorch's exporter's form
                // is unambiguous: zero Pad, then count only the window's positions inside the padded input.
                if (p[0] > 0 || p[1] > 0) {
                    String padded = n.name() + "/pad";
                    node(padded, "Pad", List.of(x, longs(n.name() + ".pads", 0, 0, p[0], p[1], 0, 0, p[0], p[1])), padded);
                    x = padded;
                    attrs.set(2, OnnxAttribute.ofInts("pads", 0, 0, 0, 0));
                }
                includePad = false;
            }
            attrs.add(OnnxAttribute.ofInt("count_include_pad", includePad ? 1 : 0));
        }
        nodes.add(new OnnxNode(n.name(), op, "", List.of(x), List.of(n.name()), attrs));
    }

    /** [c; x] for every sample: the token expanded to [batch, 1, D] (batch read from x's shape), then Concat on the token axis. */
    private void classToken(Node n, String x) {
        String name = n.name();
        Parameter t = parameter(n, "token");
        int d = t.value().dim(1);
        String token = initializer(t.name(), new int[] {1, 1, d}, values(t));
        node(name + "/shape", "Shape", List.of(x), name + "/shape");
        node(name + "/batch", "Slice", List.of(name + "/shape", longs(name + ".start", 0), longs(name + ".end", 1)), name + "/batch");
        node(name + "/target", "Concat", List.of(name + "/batch", longs(name + ".rest", 1, d)), name + "/target",
                OnnxAttribute.ofInt("axis", 0));
        node(name + "/expand", "Expand", List.of(token, name + "/target"), name + "/expand");
        node(name, "Concat", List.of(name + "/expand", x), name, OnnxAttribute.ofInt("axis", 1));
    }

    /** Node {@code n}'s parameter or buffer called {@code local} ("weight", "running_mean"). */
    private static Parameter parameter(Node n, String local) {
        for (Parameter p : n.params()) if (p.spec().name().equals(local)) return p;
        for (Parameter p : n.buffers()) if (p.spec().name().equals(local)) return p;
        throw new IllegalArgumentException("node '" + n.name() + "' has no parameter '" + local + "'");
    }
}
