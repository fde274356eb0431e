package dev.apoptosis.onnx;

import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.AvgPool2d;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.ClassToken;
import dev.apoptosis.graph.ops.Concat;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Dropout;
import dev.apoptosis.graph.ops.Embedding;
import dev.apoptosis.graph.ops.GELU;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.LayerNorm;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MatMul;
import dev.apoptosis.graph.ops.MaxPool2d;
import dev.apoptosis.graph.ops.PositionalEmbedding;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.ReLU6;
import dev.apoptosis.graph.ops.SelectToken;
import dev.apoptosis.graph.ops.SiLU;
import dev.apoptosis.graph.ops.Softmax;
import dev.apoptosis.graph.ops.Tanh;
import dev.apoptosis.onnx.OnnxImport.Unsupported;
import dev.apoptosis.onnx.Val.Act;
import dev.apoptosis.onnx.Val.Const;
import dev.apoptosis.onnx.Val.Pending;
import dev.apoptosis.onnx.Val.Pending.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The translation of each ONNX op the importer supports (see {@code docs/onnx.md} for the forms),
 * one method per op type. Every attribute a node carries must be one the translation reads: an
 * attribute it does not know is an error, never ignored.
 */
final class OnnxOps {
    /** Op type → the attributes its translation reads. */
    private static final Map<String, Set<String>> ATTRS = Map.ofEntries(
            Map.entry("Conv", Set.of("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad")),
            Map.entry("BatchNormalization", Set.of("epsilon", "momentum", "training_mode", "spatial", "is_test", "consumed_inputs")),
            Map.entry("Relu", Set.of()), Map.entry("Clip", Set.of("min", "max")), Map.entry("Sigmoid", Set.of()),
            Map.entry("Tanh", Set.of()), Map.entry("Erf", Set.of()), Map.entry("Gelu", Set.of("approximate")),
            Map.entry("MaxPool", Set.of("kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order")),
            Map.entry("AveragePool", Set.of("kernel_shape", "strides", "pads", "ceil_mode", "count_include_pad", "auto_pad", "dilations")),
            Map.entry("GlobalAveragePool", Set.of()), Map.entry("Add", Set.of()), Map.entry("Sub", Set.of()),
            Map.entry("Mul", Set.of()), Map.entry("Div", Set.of()), Map.entry("Pow", Set.of()), Map.entry("Sqrt", Set.of()),
            Map.entry("ReduceMean", Set.of("axes", "keepdims", "noop_with_empty_axes")), Map.entry("Concat", Set.of("axis")),
            Map.entry("Flatten", Set.of("axis")), Map.entry("Reshape", Set.of("allowzero")), Map.entry("Transpose", Set.of("perm")),
            Map.entry("Gemm", Set.of("transA", "transB", "alpha", "beta")), Map.entry("MatMul", Set.of()),
            Map.entry("Softmax", Set.of("axis")), Map.entry("LayerNormalization", Set.of("axis", "epsilon", "stash_type")),
            Map.entry("Dropout", Set.of("ratio", "seed", "is_test")), Map.entry("Identity", Set.of()),
            Map.entry("Constant", Set.of("value", "value_float", "value_floats", "value_int", "value_ints")),
            Map.entry("Shape", Set.of("start", "end")), Map.entry("Gather", Set.of("axis")),
            Map.entry("Unsqueeze", Set.of("axes")), Map.entry("Squeeze", Set.of("axes")), Map.entry("Cast", Set.of("to", "saturate")),
            Map.entry("Slice", Set.of("starts", "ends", "axes")), Map.entry("Expand", Set.of()),
            Map.entry("ConstantOfShape", Set.of("value")), Map.entry("Equal", Set.of()), Map.entry("Where", Set.of()),
            Map.entry("Pad", Set.of("mode", "pads", "value")));

    /** The op types the importer knows, sorted (what the unsupported-op error lists). */
    static final Set<String> SUPPORTED = new TreeSet<>(ATTRS.keySet());

    private static final double SQRT2 = Math.sqrt(2);

    private final OnnxImport imp;
    private OnnxNode n;
    private String label;

    OnnxOps(OnnxImport imp) {
        this.imp = imp;
    }

    List<Val> translate(OnnxNode node, int index, List<Val> ins) {
        this.n = node;
        this.label = !node.name().isEmpty() ? node.name() : node.outputs().isEmpty() ? node.opType() + "_" + index : node.outputs().get(0);
        for (OnnxAttribute a : node.attributes()) {
            if (!ATTRS.get(node.opType()).contains(a.name())) throw new Unsupported("attribute '" + a.name() + "' is not supported");
        }
        return switch (node.opType()) {
            case "Identity" -> List.of(in(ins, 0));
            case "Constant" -> List.of(constant());
            case "Dropout" -> List.of(dropout(ins));
            case "Conv" -> List.of(conv(ins));
            case "BatchNormalization" -> List.of(batchNorm(ins));
            case "Relu" -> List.of(unary(ins, new ReLU()));
            case "Tanh" -> List.of(unary(ins, new Tanh()));
            case "Clip" -> List.of(clip(ins));
            case "Gelu" -> {
                if (!str("approximate", "none").equals("none")) throw new Unsupported("approximate='" + str("approximate", "") + "' (only the exact GELU)");
                yield List.of(unary(ins, new GELU()));
            }
            case "Sigmoid" -> List.of(Pending.of(Kind.SIGMOID, act(ins, 0)));
            case "Erf" -> List.of(erf(ins));
            case "MaxPool", "AveragePool" -> List.of(pool(ins));
            case "GlobalAveragePool" -> {
                Act x = image(ins, 0);
                Node g = imp.add(label, new GlobalAvgPool(), imp.node(x, label));
                yield List.of(new Act(g, new int[] {x.shape()[0], 1, 1}));
            }
            case "Add" -> List.of(add(ins));
            case "Sub" -> List.of(sub(ins));
            case "Mul" -> List.of(mul(ins));
            case "Div" -> List.of(div(ins));
            case "Pow" -> List.of(pow(ins));
            case "Sqrt" -> List.of(sqrt(ins));
            case "ReduceMean" -> List.of(reduceMean(ins));
            case "Concat" -> List.of(concat(ins));
            case "Flatten" -> List.of(flatten(ins));
            case "Reshape" -> List.of(reshape(ins));
            case "Transpose" -> List.of(transpose(ins));
            case "Unsqueeze", "Squeeze" -> List.of(squeeze(ins, n.opType().equals("Unsqueeze")));
            case "Gemm" -> List.of(gemm(ins));
            case "MatMul" -> List.of(matmul(ins));
            case "Softmax" -> List.of(softmax(ins));
            case "LayerNormalization" -> List.of(layerNorm(ins));
            case "Shape" -> List.of(shape(ins));
            case "Gather" -> List.of(gather(ins));
            case "Cast" -> List.of(cast(ins));
            case "Slice" -> List.of(slice(ins));
            case "Expand" -> List.of(expand(ins));
            case "ConstantOfShape" -> List.of(constantOfShape(ins));
            case "Equal" -> List.of(Const.ints(Consts.binary(constant(ins, 0, "A"), constant(ins, 1, "B"), (x, y) -> x == y ? 1 : 0).dims(),
                    Consts.binary(constant(ins, 0, "A"), constant(ins, 1, "B"), (x, y) -> x == y ? 1 : 0).v()));
            case "Where" -> List.of(where(ins));
            case "Pad" -> List.of(pad(ins));
            default -> throw new Unsupported("no translation");
        };
    }

    // ------------------------------------------------------------------ operands and attributes

    private Val in(List<Val> ins, int i) {
        Val v = i < ins.size() ? ins.get(i) : null;
        if (v == null) throw new Unsupported("input " + i + " is missing");
        return v;
    }

    private Val opt(List<Val> ins, int i) {
        return i < ins.size() ? ins.get(i) : null;
    }

    private Act act(List<Val> ins, int i) {
        return imp.act(in(ins, i), "input " + i);
    }

    /** An activation that must be an image [C, H, W]. */
    private Act image(List<Val> ins, int i) {
        Act a = act(ins, i);
        if (a.shape().length != 3) throw new Unsupported("input " + i + " has sample shape " + Arrays.toString(a.shape()) + ", expected [C, H, W]");
        return a;
    }

    private Const constant(List<Val> ins, int i, String what) {
        Val v = in(ins, i);
        if (v instanceof Const c) return c;
        throw new Unsupported(what + " (input " + i + ") must be a constant");
    }

    private Node node(Act a) {
        return imp.node(a, label);
    }

    private Act unary(List<Val> ins, dev.apoptosis.graph.Op op) {
        Act x = act(ins, 0);
        return new Act(imp.add(label, op, node(x)), x.shape());
    }

    private OnnxAttribute attr(String name, int type) {
        OnnxAttribute a = n.attribute(name);
        if (a != null && a.type() != type) {
            throw new Unsupported("attribute '" + name + "' is of type " + OnnxAttribute.typeName(a.type()) + ", expected " + OnnxAttribute.typeName(type));
        }
        return a;
    }

    /** A tensor attribute (null if absent); one whose tensor is missing is an error, not a crash. */
    private OnnxTensor tensorAttr(String name) {
        OnnxAttribute a = attr(name, OnnxAttribute.TENSOR);
        if (a != null && a.t() == null) throw new Unsupported("attribute '" + name + "' says tensor but holds none (a malformed file)");
        return a == null ? null : a.t();
    }

    private long intAttr(String name, long dflt) {
        OnnxAttribute a = attr(name, OnnxAttribute.INT);
        return a == null ? dflt : a.i();
    }

    private float floatAttr(String name, float dflt) {
        OnnxAttribute a = attr(name, OnnxAttribute.FLOAT);
        return a == null ? dflt : a.f();
    }

    private long[] intsAttr(String name) {
        OnnxAttribute a = attr(name, OnnxAttribute.INTS);
        return a == null ? null : a.ints();
    }

    private String str(String name, String dflt) {
        OnnxAttribute a = attr(name, OnnxAttribute.STRING);
        return a == null ? dflt : a.text();
    }

    private static int toInt(double v, String what) {
        if (Double.isNaN(v) || v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw new Unsupported(what + " " + v + " is not a usable integer");
        return (int) v;
    }

    private static long[] longs(Const c) {
        long[] l = new long[c.v().length];
        for (int i = 0; i < l.length; i++) {
            if (Double.isNaN(c.v()[i])) throw new Unsupported("a value depends on the batch size where a constant is needed");
            l[i] = (long) c.v()[i];
        }
        return l;
    }

    private static boolean near(double a, double b) {
        return Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
    }

    // ------------------------------------------------------------------ constants and shapes

    private Val constant() {
        if (n.attributes().size() != 1) throw new Unsupported("a Constant needs exactly one value attribute");
        OnnxAttribute a = n.attributes().get(0);
        return switch (a.name()) {
            case "value" -> {
                OnnxTensor t = tensorAttr("value");
                yield new Const(t.dims(), t.values(), Const.integerType(t.dataType()));
            }
            case "value_float" -> Const.scalar(floatAttr("value_float", 0));
            case "value_int" -> Const.ints(new long[0], new double[] {intAttr("value_int", 0)});
            case "value_floats" -> {
                float[] f = attr("value_floats", OnnxAttribute.FLOATS).floats();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) d[i] = f[i];
                yield Const.vector(d);
            }
            default -> {
                long[] l = intsAttr("value_ints");
                double[] d = new double[l.length];
                for (int i = 0; i < l.length; i++) d[i] = l[i];
                yield Const.ints(new long[] {d.length}, d);
            }
        };
    }

    private Val shape(List<Val> ins) {
        Val x = in(ins, 0);
        double[] s;
        if (x instanceof Const c) {
            s = new double[c.rank()];
            for (int i = 0; i < s.length; i++) s[i] = c.dims()[i];
        } else if (x instanceof Val.Moved || x instanceof Val.MovedLinear) {
            Val.Moved m = x instanceof Val.MovedLinear ml0 ? ml0.x() : imp.moved(x, "input 0");
            s = MovedBatch.logicalShape(m);
            if (x instanceof Val.MovedLinear ml) s[s.length - 1] = ml.out();
        } else {
            int[] view = imp.act(x, "input 0").shape();
            s = new double[view.length + 1];
            s[0] = Double.NaN; // the batch size: known only at run time
            for (int i = 0; i < view.length; i++) s[i + 1] = view[i];
        }
        Const all = Const.ints(new long[] {s.length}, s);
        long start = intAttr("start", 0), end = intAttr("end", s.length);
        return start == 0 && end >= s.length ? all : Consts.slice1d(all, start, end, 1);
    }

    private Val gather(List<Val> ins) {
        Val data = in(ins, 0);
        if (data instanceof Const table && in(ins, 1) instanceof Pending ids && ids.is(Kind.IDS)) {
            // rows of a constant table at integer ids: an embedding, its table learnable
            if (table.rank() != 2 || intAttr("axis", 0) != 0) throw new Unsupported("Gather of a table of shape " + Arrays.toString(table.dims()) + " on axis " + intAttr("axis", 0) + " (only rows of a matrix)");
            Node e = imp.add(preferredName(0), new Embedding((int) table.dims()[0], (int) table.dims()[1]), node(ids.x()));
            imp.param(e, "weight", Consts.floats(table));
            return Act.of(e);
        }
        Const idx = constant(ins, 1, "the indices");
        long axis = intAttr("axis", 0);
        if (data instanceof Const c) return Consts.gather(c, idx, axis);
        Act x = act(ins, 0);
        int ax = Consts.axis(axis, x.shape().length + 1, "Gather");
        if (ax != 1 || idx.rank() != 0) {
            throw new Unsupported("Gather of an activation only with one index on axis 1 (a token), got axis " + axis + " and indices " + idx);
        }
        return Act.of(imp.add(label, new SelectToken(toInt(idx.v()[0], "index")), node(x)));
    }

    private long[] axesOf(List<Val> ins, int input) {
        long[] axes = intsAttr("axes");
        if (axes == null && opt(ins, input) != null) axes = longs(constant(ins, input, "the axes"));
        return axes;
    }

    private Val squeeze(List<Val> ins, boolean unsqueeze) {
        long[] axes = axesOf(ins, 1);
        Val x = in(ins, 0);
        if (unsqueeze && axes == null) throw new Unsupported("Unsqueeze without axes");
        if (x instanceof Const c) return unsqueeze ? Consts.unsqueeze(c, axes) : Consts.squeeze(c, axes);
        Act a = act(ins, 0);
        // Axes count on the full shape [batch, sample...]: the batch axis must stay where it is.
        int rank = a.shape().length + 1, r = rank + (unsqueeze ? axes.length : 0);
        if (axes != null) {
            for (long ax : axes) {
                if (Consts.axis(ax, unsqueeze ? r : rank, n.opType()) == 0) throw new Unsupported(n.opType() + " on the batch axis");
            }
        }
        List<Integer> shape = new ArrayList<>();
        for (int d : a.shape()) shape.add(d);
        if (unsqueeze) {
            long[] sorted = new long[axes.length];
            for (int i = 0; i < axes.length; i++) sorted[i] = Consts.axis(axes[i], r, "Unsqueeze");
            Arrays.sort(sorted);
            for (long ax : sorted) shape.add((int) ax - 1, 1);
        } else {
            boolean[] drop = new boolean[a.shape().length];
            if (axes == null) {
                for (int i = 0; i < drop.length; i++) drop[i] = a.shape()[i] == 1;
            } else {
                for (long ax : axes) {
                    int k = Consts.axis(ax, rank, "Squeeze") - 1;
                    if (a.shape()[k] != 1) throw new Unsupported("Squeeze of axis " + ax + " of size " + a.shape()[k]);
                    drop[k] = true;
                }
            }
            shape.clear();
            for (int i = 0; i < drop.length; i++) if (!drop[i]) shape.add(a.shape()[i]);
        }
        return new Act(a.node(), shape.stream().mapToInt(Integer::intValue).toArray());
    }

    private Val cast(List<Val> ins) {
        Val x = in(ins, 0);
        long to = intAttr("to", OnnxTensor.FLOAT);
        if (x instanceof Const c) {
            if (to == OnnxTensor.FLOAT || to == OnnxTensor.DOUBLE) return c;
            double[] v = c.v().clone();
            for (int i = 0; i < v.length; i++) if (!Double.isNaN(v[i])) v[i] = to == OnnxTensor.BOOL ? (v[i] != 0 ? 1 : 0) : (long) v[i];
            return new Const(c.dims(), v, true);
        }
        if (to == OnnxTensor.INT64 || to == OnnxTensor.INT32) {
            // integer ids: only a Gather from a constant table (an embedding) reads them
            return Pending.of(Kind.IDS, imp.act(x, "input 0"));
        }
        if (to != OnnxTensor.FLOAT) throw new Unsupported("Cast of an activation to " + OnnxTensor.typeName((int) to) + " (activations are float)");
        return x;
    }

    private Val slice(List<Val> ins) {
        if (in(ins, 0) instanceof Val.MovedLinear ml) return sliceFeatures(ml, ins);
        Const data = constant(ins, 0, "the data");
        long[] starts, ends, axes, steps = null;
        if (opset() < 10) {
            starts = intsAttr("starts");
            ends = intsAttr("ends");
            axes = intsAttr("axes");
        } else {
            starts = longs(constant(ins, 1, "starts"));
            ends = longs(constant(ins, 2, "ends"));
            axes = opt(ins, 3) == null ? null : longs(constant(ins, 3, "axes"));
            steps = opt(ins, 4) == null ? null : longs(constant(ins, 4, "steps"));
        }
        if (starts == null || ends == null || starts.length != 1 || ends.length != 1 || (axes != null && (axes.length != 1 || axes[0] != 0 && axes[0] != -1))) {
            throw new Unsupported("Slice only of one axis of a 1-D constant");
        }
        return Consts.slice1d(data, starts[0], ends[0], steps == null ? 1 : steps[0]);
    }

    /** A Slice of a fused projection's output features (nn.MultiheadAttention's q, k, v): a projection with those rows. */
    private Val sliceFeatures(Val.MovedLinear ml, List<Val> ins) {
        if (opset() < 10) throw new Unsupported("Slice of an activation before opset 10");
        long[] starts = longs(constant(ins, 1, "starts")), ends = longs(constant(ins, 2, "ends"));
        long[] axes = opt(ins, 3) == null ? null : longs(constant(ins, 3, "axes"));
        long[] steps = opt(ins, 4) == null ? null : longs(constant(ins, 4, "steps"));
        int rank = ml.x().groups().length;
        if (starts.length != 1 || axes == null || axes.length != 1 || Consts.axis(axes[0], rank, "Slice") != rank - 1
                || steps != null && steps[0] != 1) {
            throw new Unsupported("Slice of an activation only along its last axis, step 1");
        }
        int out = ml.out(), in = ml.w().length / out;
        int from = (int) Math.max(0, Math.min(out, starts[0] < 0 ? starts[0] + out : starts[0]));
        int to = (int) Math.max(from, Math.min(out, ends[0] < 0 ? ends[0] + out : ends[0]));
        if (to == from) throw new Unsupported("an empty Slice");
        float[] w = Arrays.copyOfRange(ml.w(), from * in, to * in);
        float[] b = ml.b() == null ? null : Arrays.copyOfRange(ml.b(), from, to);
        return new Val.MovedLinear(ml.x(), w, b, to - from);
    }

    private Val expand(List<Val> ins) {
        Const c = constant(ins, 0, "the expanded value (only constants: a class token)");
        Const shape = constant(ins, 1, "the shape");
        long[] target = new long[shape.v().length];
        for (int i = 0; i < target.length; i++) target[i] = Double.isNaN(shape.v()[i]) ? -1 : (long) shape.v()[i];
        if (target.length == 0 || target[0] != -1 && target[0] != 1) {
            throw new Unsupported("Expand only of a constant to the batch (shape [batch, ...])");
        }
        int[] dims = new int[c.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = (int) c.dims()[i];
        return new Pending(Kind.EXPANDED_CONST, null, 0, Consts.floats(c), dims);
    }

    private Val constantOfShape(List<Val> ins) {
        long[] dims = longs(constant(ins, 0, "the shape"));
        OnnxTensor t = tensorAttr("value");
        double v = t == null ? 0 : t.values()[0];
        double[] out = new double[(int) Consts.count(dims)];
        Arrays.fill(out, v);
        return new Const(dims, out, t == null || Const.integerType(t.dataType()));
    }

    private Val where(List<Val> ins) {
        Const c = constant(ins, 0, "the condition"), x = constant(ins, 1, "X"), y = constant(ins, 2, "Y");
        long[] dims = Consts.broadcastDims(Consts.broadcastDims(c.dims(), x.dims()), y.dims());
        double[] cv = Consts.broadcastTo(c, dims), xv = Consts.broadcastTo(x, dims), yv = Consts.broadcastTo(y, dims);
        double[] out = new double[cv.length];
        for (int i = 0; i < out.length; i++) out[i] = cv[i] != 0 ? xv[i] : yv[i];
        return new Const(dims, out, x.integer() && y.integer());
    }

    /** Zero padding of H and W alike on both sides: pending until the AveragePool or Conv that takes it as its own padding. */
    private Val pad(List<Val> ins) {
        Act x = image(ins, 0);
        String mode = str("mode", "constant");
        long[] p = opset() < 11 ? intsAttr("pads") : longs(constant(ins, 1, "the pads"));
        double value = opset() < 11 ? floatAttr("value", 0) : opt(ins, 2) == null ? 0 : constant(ins, 2, "the value").v()[0];
        if (opset() >= 18 && opt(ins, 3) != null) throw new Unsupported("Pad with axes");
        if (!mode.equals("constant") || value != 0) throw new Unsupported("Pad mode '" + mode + "' value " + value + " (only zero padding)");
        if (p == null || p.length != 8 || p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0 || p[2] != p[6] || p[3] != p[7] || p[2] < 0 || p[3] < 0) {
            throw new Unsupported("pads " + Arrays.toString(p) + " (only H and W, the same on both sides)");
        }
        return new Pending(Kind.ZERO_PADDED, x, 0, null, new int[] {(int) p[2], (int) p[3]});
    }

    // ------------------------------------------------------------------ layers

    private Val dropout(List<Val> ins) {
        Act x = act(ins, 0);
        double p = opset() < 12 ? floatAttr("ratio", 0.5f) : opt(ins, 1) == null ? 0.5 : constant(ins, 1, "ratio").v()[0];
        if (opt(ins, 2) != null && constant(ins, 2, "training_mode").v()[0] != 0) throw new Unsupported("training_mode = true");
        return p > 0 ? new Act(imp.add(label, new Dropout(p), node(x)), x.shape()) : x;
    }

    private Val conv(List<Val> ins) {
        Act x = image(ins, 0);
        Const w = constant(ins, 1, "the weight");
        Const b = opt(ins, 2) == null ? null : constant(ins, 2, "the bias");
        if (w.rank() != 4) throw new Unsupported("weight of shape " + Arrays.toString(w.dims()) + ": only 2-D convolutions");
        int out = (int) w.dims()[0], kh = (int) w.dims()[2], kw = (int) w.dims()[3];
        long[] k = intsAttr("kernel_shape");
        if (k != null && (k.length != 2 || k[0] != kh || k[1] != kw)) throw new Unsupported("kernel_shape " + Arrays.toString(k) + " does not match the weight");
        long[] s = pair("strides"), d = pair("dilations");
        int group = (int) intAttr("group", 1);
        int[] pad = pads(x.shape(), new int[] {kh, kw}, s, d);
        Conv2d op = Conv2d.builder(out, kh, kw).stride((int) s[0], (int) s[1]).padding(pad[0], pad[1]).dilation((int) d[0], (int) d[1])
                .groups(group).bias(b != null).build();
        Node c = imp.add(preferredName(1), op, node(x));
        imp.param(c, "weight", Consts.floats(w));
        if (b != null) imp.param(c, "bias", Consts.floats(b));
        return Act.of(c);
    }

    /** A name for a layer node: its weight initializer's name without ".weight" (PyTorch's module name), else the node's. */
    private String preferredName(int weightInput) {
        String w = weightInput < n.inputs().size() ? n.inputs().get(weightInput) : "";
        return w.endsWith(".weight") ? w.substring(0, w.length() - 7) : label;
    }

    private long[] pair(String name) {
        long[] v = intsAttr(name);
        if (v == null) return new long[] {1, 1};
        if (v.length != 2) throw new Unsupported(name + " " + Arrays.toString(v) + ": only 2-D windows");
        return v;
    }

    /** Symmetric (top = bottom, left = right) padding from pads or auto_pad; anything else is an error. */
    private int[] pads(int[] in, int[] k, long[] s, long[] d) {
        String auto = str("auto_pad", "NOTSET");
        long[] p = intsAttr("pads");
        switch (auto) {
            case "NOTSET" -> {
                if (p == null) return new int[] {0, 0};
                if (p.length != 4) throw new Unsupported("pads " + Arrays.toString(p) + ": only 2-D windows");
                if (p[0] != p[2] || p[1] != p[3]) throw new Unsupported("asymmetric pads " + Arrays.toString(p) + " (the engine pads both sides alike)");
                return new int[] {(int) p[0], (int) p[1]};
            }
            case "VALID" -> {
                return new int[] {0, 0};
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int[] r = new int[2];
                for (int i = 0; i < 2; i++) {
                    long size = in[i + 1], out = (size + s[i] - 1) / s[i];
                    long total = Math.max(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - size);
                    if (total % 2 != 0) throw new Unsupported("auto_pad " + auto + " needs asymmetric padding here (" + total + " in all on axis " + (i + 2) + ")");
                    r[i] = (int) (total / 2);
                }
                return r;
            }
            default -> throw new Unsupported("auto_pad '" + auto + "'");
        }
    }

    private Val batchNorm(List<Val> ins) {
        if (intAttr("training_mode", 0) != 0) throw new Unsupported("training_mode = 1");
        if (intAttr("spatial", 1) != 1) throw new Unsupported("spatial = 0");
        Act x = image(ins, 0);
        float[][] p = new float[4][];
        String[] names = {"scale", "bias", "mean", "var"};
        for (int i = 0; i < 4; i++) p[i] = Consts.floats(constant(ins, i + 1, "the " + names[i]));
        Node bn = imp.add(label, new BatchNorm2d(floatAttr("epsilon", 1e-5f), 1 - floatAttr("momentum", 0.9f)), node(x));
        imp.param(bn, "weight", p[0]);
        imp.param(bn, "bias", p[1]);
        imp.param(bn, "running_mean", p[2]);
        imp.param(bn, "running_var", p[3]);
        return Act.of(bn);
    }

    private Val clip(List<Val> ins) {
        double lo, hi;
        if (opset() < 11) {
            lo = floatAttr("min", Float.NEGATIVE_INFINITY);
            hi = floatAttr("max", Float.POSITIVE_INFINITY);
        } else {
            lo = opt(ins, 1) == null ? Double.NEGATIVE_INFINITY : constant(ins, 1, "min").v()[0];
            hi = opt(ins, 2) == null ? Double.POSITIVE_INFINITY : constant(ins, 2, "max").v()[0];
        }
        if (lo == 0 && hi == 6) return unary(ins, new ReLU6());
        if (lo == 0 && hi == Double.POSITIVE_INFINITY) return unary(ins, new ReLU());
        throw new Unsupported("Clip to [" + lo + ", " + hi + "]: only [0, 6] (ReLU6) and [0, ∞) (ReLU)");
    }

    private Val pool(List<Val> ins) {
        boolean max = n.opType().equals("MaxPool");
        int[] extra = {0, 0};
        if (!max && in(ins, 0) instanceof Pending zp && zp.is(Kind.ZERO_PADDED)) {
            // PyTorch writes AvgPool2d(padding=p, count_include_pad=True) as Pad + AveragePool: the padded zeros count.
            extra = zp.ints();
            ins = new ArrayList<>(ins);
            ins.set(0, zp.x());
        }
        Act x = image(ins, 0);
        long[] k = intsAttr("kernel_shape");
        if (k == null || k.length != 2) throw new Unsupported("kernel_shape " + Arrays.toString(k) + ": only 2-D windows");
        long[] s = pair("strides"), d = pair("dilations");
        if (!max && (d[0] != 1 || d[1] != 1)) throw new Unsupported("AveragePool with dilations");
        if (intAttr("storage_order", 0) != 0) throw new Unsupported("storage_order = 1");
        int[] kk = {(int) k[0], (int) k[1]};
        int[] p = pads(x.shape(), kk, s, d);
        boolean padded = extra[0] != 0 || extra[1] != 0;
        if (padded) {
            if (p[0] != 0 || p[1] != 0) throw new Unsupported("Pad before a padded AveragePool");
            p = extra;
        }
        int[] stride = {(int) s[0], (int) s[1]}, dil = {(int) d[0], (int) d[1]};
        boolean ceil = intAttr("ceil_mode", 0) != 0;
        boolean includePad = intAttr("count_include_pad", 0) != 0;
        if (!max && ceil && includePad) {
            // A ceil-mode window may overhang the padded input; runtimes disagree on whether the
            // overhang counts in the divisor (ONNX Runtime: yes, PyTorch: no), so only accept it where
            // no window overhangs: where ceil mode gives floor mode's output size.
            int[] in = {x.shape()[1] + 2 * (padded ? p[0] : 0), x.shape()[2] + 2 * (padded ? p[1] : 0)};
            int[] pp = padded ? new int[] {0, 0} : p;
            for (int i = 0; i < 2; i++) {
                long span = in[i] + 2L * pp[i] - kk[i];
                if (Math.floorDiv(span + stride[i] - 1, stride[i]) != Math.floorDiv(span, stride[i])) {
                    throw new Unsupported("ceil_mode = 1 with count_include_pad = 1 where a window overhangs the padded input"
                            + " (runtimes disagree on its divisor)");
                }
            }
        }
        dev.apoptosis.graph.Op op = max ? new MaxPool2d(kk, stride, p, dil, ceil)
                : new AvgPool2d(kk, stride, p, padded || includePad, ceil);
        return Act.of(imp.add(label, op, node(x)));
    }

    private Val gemm(List<Val> ins) {
        if (intAttr("transA", 0) != 0) throw new Unsupported("transA = 1 on an activation (it would move the batch axis)");
        Val.Moved moved = in(ins, 0) instanceof Val.Moved || in(ins, 0) instanceof Val.MovedLinear ? imp.moved(in(ins, 0), "input 0") : null;
        if (moved != null && (moved.groups().length != 2 || !MovedBatch.lastAxisIsSample(moved))) {
            throw new Unsupported("A of shape " + Arrays.toString(MovedBatch.logicalShape(moved)) + " with the batch inside its last axis");
        }
        Act a = moved != null ? new Act(moved.node(), new int[] {moved.s()[moved.s().length - 1]}) : act(ins, 0);
        if (a.shape().length != 1) throw new Unsupported("A has sample shape " + Arrays.toString(a.shape()) + ", expected a vector");
        Const b = constant(ins, 1, "B");
        Const c = opt(ins, 2) == null ? null : constant(ins, 2, "C");
        boolean transB = intAttr("transB", 0) != 0;
        double alpha = floatAttr("alpha", 1f), beta = floatAttr("beta", 1f);
        if (b.rank() != 2) throw new Unsupported("B of shape " + Arrays.toString(b.dims()));
        int k = (int) (transB ? b.dims()[1] : b.dims()[0]), m = (int) (transB ? b.dims()[0] : b.dims()[1]);
        if (k != a.shape()[0]) throw new Unsupported("B of shape " + Arrays.toString(b.dims()) + " does not fit A's " + a.shape()[0] + " features");
        float[] w = new float[m * k];
        for (int o = 0; o < m; o++) for (int i = 0; i < k; i++) w[o * k + i] = (float) (alpha * (transB ? b.v()[o * k + i] : b.v()[i * m + o]));
        Node lin = imp.add(preferredName(1), new Linear(m, c != null && beta != 0), moved != null ? MovedBatch.node(imp, moved, label) : node(a));
        imp.param(lin, "weight", w);
        if (c != null && beta != 0) {
            if (c.v().length != 1 && c.v().length != m) throw new Unsupported("C of shape " + Arrays.toString(c.dims()) + " (only a bias per output)");
            double[] bias = Consts.broadcastTo(c.rank() == 2 ? Consts.squeeze(c, new long[] {0}) : c, new long[] {m});
            float[] bf = new float[m];
            for (int i = 0; i < m; i++) bf[i] = (float) (beta * bias[i]);
            imp.param(lin, "bias", bf);
        }
        return moved != null ? MovedBatch.withNode(moved, lin) : Act.of(lin);
    }

    private Val matmul(List<Val> ins) {
        Val av = in(ins, 0), bv = in(ins, 1);
        if (av instanceof Const) throw new Unsupported("a constant first operand (the engine multiplies activations by weights on the right)");
        if (isMoved(av) || isMoved(bv)) return movedMatmul(av, bv);
        Act a = imp.act(av, "input 0");
        if (bv instanceof Const b) {
            if (b.rank() != 2) throw new Unsupported("a constant second operand of shape " + Arrays.toString(b.dims()) + " (only matrices)");
            int k = (int) b.dims()[0], m = (int) b.dims()[1];
            if (k != a.shape()[a.shape().length - 1]) throw new Unsupported("shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.dims()) + " do not multiply");
            float[] w = new float[m * k];
            for (int o = 0; o < m; o++) for (int i = 0; i < k; i++) w[o * k + i] = (float) b.v()[i * m + o];
            return new Pending(Kind.MATMUL_CONST, a, 0, w, new int[] {m});
        }
        boolean transposeB = false;
        Act b;
        if (bv instanceof Pending p && p.is(Kind.PERMUTED) && swapsLastTwo(p.ints())) {
            transposeB = true;
            b = p.x();
        } else {
            b = imp.act(bv, "input 1");
        }
        return Act.of(imp.add(label, new MatMul(transposeB), node(a), node(b)));
    }

    private static boolean isMoved(Val v) {
        return v instanceof Val.Moved || v instanceof Val.MovedLinear;
    }

    /** MatMul where the batch axis has moved: by a constant (a projection, kept for a Slice) or of two views alike but for their last two axes. */
    private Val movedMatmul(Val av, Val bv) {
        Val.Moved a = imp.moved(av, "input 0");
        if (!MovedBatch.lastAxisIsSample(a)) throw new Unsupported("the batch inside the contracted axis");
        int kk = a.s()[a.s().length - 1];
        if (bv instanceof Const b) {
            if (b.rank() != 2 || b.dims()[0] != kk) throw new Unsupported("a constant second operand of shape " + Arrays.toString(b.dims()));
            int m = (int) b.dims()[1];
            float[] w = new float[m * kk];
            for (int o = 0; o < m; o++) for (int i = 0; i < kk; i++) w[o * kk + i] = (float) b.v()[i * m + o];
            return new Val.MovedLinear(a, w, null, m);
        }
        Val.Moved b = imp.moved(bv, "input 1");
        int r = a.groups().length;
        boolean ok = r >= 3 && a.k() == b.k() && Arrays.equals(a.groups(), b.groups()) && a.s().length == b.s().length
                && a.groups()[r - 1] == 1 && a.groups()[r - 2] == 1 && a.k() < a.s().length - 1;
        for (int i = 0; ok && i < a.s().length - 2; i++) ok = a.s()[i] == b.s()[i];
        if (!ok) {
            throw new Unsupported("MatMul of " + Arrays.toString(MovedBatch.logicalShape(a)) + " and " + Arrays.toString(MovedBatch.logicalShape(b))
                    + " (the batch must sit alike in the leading axes of both)");
        }
        Node mm = imp.add(label, new MatMul(false), MovedBatch.node(imp, a, label), MovedBatch.node(imp, b, label));
        return MovedBatch.withNode(a, mm);
    }

    private static boolean swapsLastTwo(int[] perm) {
        int r = perm.length;
        if (r < 2) return false;
        for (int i = 0; i < r - 2; i++) if (perm[i] != i) return false;
        return perm[r - 2] == r - 1 && perm[r - 1] == r - 2;
    }

    private Val softmax(List<Val> ins) {
        if (isMoved(in(ins, 0))) {
            Val.Moved m = imp.moved(in(ins, 0), "input 0");
            int r = m.groups().length;
            long axis = intAttr("axis", opset() < 13 ? 1 : -1);
            if (Consts.axis(axis, r, "Softmax") != r - 1 || !MovedBatch.lastAxisIsSample(m)) throw new Unsupported("axis " + axis + " (only the last axis)");
            return MovedBatch.withNode(m, imp.add(label, new Softmax(), MovedBatch.node(imp, m, label)));
        }
        Act x = act(ins, 0);
        int r = x.shape().length + 1;
        long axis = intAttr("axis", opset() < 13 ? 1 : -1);
        if (Consts.axis(axis, r, "Softmax") != r - 1) throw new Unsupported("axis " + axis + " (only the last axis)");
        return unary(ins, new Softmax());
    }

    private Val layerNorm(List<Val> ins) {
        Act x = act(ins, 0);
        int r = x.shape().length + 1;
        if (Consts.axis(intAttr("axis", -1), r, "LayerNormalization") != r - 1) throw new Unsupported("axis " + intAttr("axis", -1) + " (only the last axis)");
        int d = x.shape()[x.shape().length - 1];
        Node ln = imp.add(label, new LayerNorm(floatAttr("epsilon", 1e-5f)), node(x));
        imp.param(ln, "weight", broadcast(constant(ins, 1, "the scale"), d));
        imp.param(ln, "bias", opt(ins, 2) == null ? new float[d] : broadcast(constant(ins, 2, "the bias"), d));
        return Act.of(ln);
    }

    private static float[] broadcast(Const c, int d) {
        if (c.v().length != 1 && c.v().length != d) throw new Unsupported("a per-feature constant of shape " + Arrays.toString(c.dims()) + " for width " + d);
        float[] f = new float[d];
        for (int i = 0; i < d; i++) f[i] = (float) c.v()[c.v().length == 1 ? 0 : i];
        return f;
    }

    private Val concat(List<Val> ins) {
        long axis = intAttr("axis", Long.MIN_VALUE);
        if (axis == Long.MIN_VALUE) throw new Unsupported("no axis");
        boolean allConst = true;
        for (Val v : ins) allConst &= v instanceof Const;
        if (allConst) return Consts.concat(ins.toArray(new Const[0]), axis);
        if (ins.size() == 2 && ins.get(0) instanceof Pending p && p.is(Kind.EXPANDED_CONST)) {
            // [token; x] on the token axis: ViT's class token.
            Act x = act(ins, 1);
            int[] t = p.ints();
            int r = x.shape().length + 1;
            if (x.shape().length != 2 || Consts.axis(axis, r, "Concat") != 1 || p.data().length != x.shape()[1]) {
                throw new Unsupported("a constant concatenated to an activation (only a class token [1, 1, D] before tokens [T, D])");
            }
            if (t.length == 0) throw new Unsupported("an empty class token");
            Node ct = imp.add(label, new ClassToken(), node(x));
            imp.param(ct, "token", p.data());
            return Act.of(ct);
        }
        List<Node> nodes = new ArrayList<>();
        int[] first = null;
        for (int i = 0; i < ins.size(); i++) {
            Act a = act(ins, i);
            if (first == null) first = a.shape();
            nodes.add(node(a));
        }
        int r = first.length + 1;
        int natural = dev.apoptosis.graph.ops.Concat.concatAxis(first);
        if (Consts.axis(axis, r, "Concat") != natural + 1) {
            throw new Unsupported("axis " + axis + " of sample shape " + Arrays.toString(first) + " (the engine concatenates channels: axis " + (natural + 1) + ")");
        }
        return Act.of(imp.add(label, new Concat(), nodes.toArray(new Node[0])));
    }

    private Val flatten(List<Val> ins) {
        Val v = in(ins, 0);
        long axis = intAttr("axis", 1);
        if (v instanceof Const c) {
            int ax = Consts.axis(axis, c.rank() + 1, "Flatten");
            long a = 1, b = 1;
            for (int i = 0; i < c.rank(); i++) if (i < ax) a *= c.dims()[i]; else b *= c.dims()[i];
            return new Const(new long[] {a, b}, c.v(), c.integer());
        }
        Act x = act(ins, 0);
        int r = x.shape().length + 1; // Flatten's axis ranges over [-r, r]
        if ((axis < 0 ? axis + r : axis) != 1) throw new Unsupported("axis " + axis + " (only 1: the batch stays apart)");
        return new Act(x.node(), new int[] {x.size()});
    }

    private Val reshape(List<Val> ins) {
        Val v = in(ins, 0);
        Const target = constant(ins, 1, "the shape");
        boolean allowZero = intAttr("allowzero", 0) != 0;
        if (v instanceof Const c) {
            long[] t = longs(target);
            long known = 1;
            int infer = -1;
            for (int i = 0; i < t.length; i++) {
                if (t[i] == 0 && !allowZero) t[i] = c.dims()[i];
                if (t[i] == -1) infer = i;
                else known *= t[i];
            }
            if (infer >= 0) t[infer] = c.v().length / Math.max(1, known);
            return new Const(t, c.v(), c.integer());
        }
        double[] t = target.v();
        boolean batchInside = false;
        for (int i = 1; i < t.length; i++) batchInside |= Double.isNaN(t[i]);
        if (v instanceof Val.Moved || v instanceof Val.MovedLinear || batchInside) {
            return MovedBatch.reshape(imp.moved(v, "input 0"), t, allowZero);
        }
        Act x = act(ins, 0);
        if (t.length == 0) throw new Unsupported("a reshape to a scalar");
        int[] in = x.shape();
        long size = x.size();
        boolean batchKept = Double.isNaN(t[0]) || t[0] == 0 && !allowZero || t[0] == -1;
        long[] s = new long[t.length - 1];
        int infer = -1;
        long known = 1;
        for (int i = 1; i < t.length; i++) {
            double e = t[i];
            if (Double.isNaN(e)) throw new Unsupported("dimension " + i + " of the target shape depends on the batch size");
            long d = (long) e;
            if (d == 0 && !allowZero) {
                if (i - 1 >= in.length) throw new Unsupported("target dimension " + i + " copies a dimension the input does not have");
                d = in[i - 1];
            }
            if (d == -1) {
                if (infer >= 0) throw new Unsupported("two -1 in the target shape");
                infer = i - 1;
            } else {
                if (d < 0) throw new Unsupported("target dimension " + d);
                known *= d;
            }
            s[i - 1] = d;
        }
        if (t[0] == -1 && infer >= 0) throw new Unsupported("the target shape infers both the batch and another dimension");
        if (infer >= 0) {
            if (known == 0 || size % known != 0) throw new Unsupported("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(t));
            s[infer] = size / known;
        } else if (known != size) {
            throw new Unsupported("cannot reshape sample " + Arrays.toString(in) + " to " + Arrays.toString(s) + (batchKept ? "" : " (a fixed batch of " + (long) t[0] + ")"));
        }
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) shape[i] = (int) s[i];
        return new Act(x.node(), shape);
    }

    private Val transpose(List<Val> ins) {
        Val v = in(ins, 0);
        long[] perm = intsAttr("perm");
        if (v instanceof Const c) {
            if (perm == null) {
                perm = new long[c.rank()];
                for (int i = 0; i < perm.length; i++) perm[i] = c.rank() - 1 - i;
            }
            return Consts.transpose(c, perm);
        }
        if (v instanceof Val.Moved || v instanceof Val.MovedLinear || perm == null || perm.length == 0 || perm[0] != 0) {
            // the batch axis moves (nn.MultiheadAttention works batch-second) or already has
            Val.Moved m = imp.moved(v, "input 0");
            if (perm == null) {
                perm = new long[m.groups().length];
                for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
            }
            return MovedBatch.transpose(imp, m, perm, label);
        }
        Act x = act(ins, 0);
        int r = x.shape().length + 1;
        if (perm.length != r) throw new Unsupported("perm " + Arrays.toString(perm) + " for rank " + r);
        int[] p = new int[r - 1];
        boolean[] seen = new boolean[r];
        for (int i = 1; i < r; i++) {
            int ax = Consts.axis(perm[i], r, "Transpose");
            if (ax == 0 || seen[ax]) throw new Unsupported("perm " + Arrays.toString(perm) + " is not a permutation keeping the batch first");
            seen[ax] = true;
            p[i - 1] = ax - 1;
        }
        return new Pending(Kind.PERMUTED, new Act(node(x), x.shape()), 0, null, p);
    }

    // ------------------------------------------------------------------ arithmetic and its patterns

    private Val add(List<Val> ins) {
        Val a = in(ins, 0), b = in(ins, 1);
        if (a instanceof Const ca && b instanceof Const cb) return Consts.binary(ca, cb, Double::sum);
        if (a instanceof Const) {
            Val t = a;
            a = b;
            b = t;
        }
        if (b instanceof Const c) return addConst(a, c);
        Act x = imp.act(a, "input 0"), y = imp.act(b, "input 1");
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new Unsupported("Add of shapes " + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape()) + " (no broadcasting between activations)");
        }
        return new Act(imp.add(label, new Add(), node(x), node(y)), x.shape());
    }

    private Val addConst(Val a, Const c) {
        if (a instanceof Val.MovedLinear ml && ml.b() == null && c.v().length == ml.out() && c.rank() >= 1 && c.dims()[c.rank() - 1] == ml.out()) {
            return new Val.MovedLinear(ml.x(), ml.w(), Consts.floats(c), ml.out());
        }
        if (a instanceof Pending p) {
            switch (p.what()) {
                case MATMUL_CONST -> {
                    int m = p.ints()[0];
                    if (c.v().length == m && c.dims().length >= 1 && c.dims()[c.rank() - 1] == m) {
                        Node lin = imp.add(label, new Linear(m, true), imp.node(p.x(), label));
                        imp.param(lin, "weight", p.data());
                        imp.param(lin, "bias", Consts.floats(c));
                        return Act.of(lin);
                    }
                }
                case ERF -> {
                    if (c.isScalar() && c.v()[0] == 1) return Pending.of(Kind.ERF_PLUS_ONE, p.x());
                }
                case VARIANCE -> {
                    if (c.isScalar()) return new Pending(Kind.VARIANCE_EPS, p.x(), c.v()[0], null, null);
                }
                case NORMALIZED, NORMALIZED_SCALED -> {
                    int d = p.x().shape()[p.x().shape().length - 1];
                    if (c.v().length == d || c.isScalar()) {
                        Node ln = imp.add(label, new LayerNorm(p.scalar()), imp.node(p.x(), label));
                        imp.param(ln, "weight", p.data() != null ? p.data() : PendingOps.filled(d, 1f));
                        imp.param(ln, "bias", broadcast(c, d));
                        return Act.of(ln);
                    }
                }
                default -> { }
            }
        }
        Act x = imp.act(a, "input 0");
        boolean zero = true;
        for (double v : c.v()) zero &= v == 0;
        if (zero && c.rank() <= x.shape().length + 1) return x;
        // A learned additive constant of the sample's shape (a position embedding, a bias that no layer took).
        long[] full = new long[x.shape().length + 1];
        full[0] = 1;
        for (int i = 0; i < x.shape().length; i++) full[i + 1] = x.shape()[i];
        double[] v;
        try {
            v = Consts.broadcastTo(c, full);
        } catch (IllegalArgumentException e) {
            throw new Unsupported("a constant of shape " + Arrays.toString(c.dims()) + " added to sample shape " + Arrays.toString(x.shape()));
        }
        Node pe = imp.add(label, new PositionalEmbedding(), node(x));
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
        imp.param(pe, "embedding", f);
        return new Act(pe, x.shape());
    }

    private Val sub(List<Val> ins) {
        Val a = in(ins, 0), b = in(ins, 1);
        if (a instanceof Const ca && b instanceof Const cb) return Consts.binary(ca, cb, (x, y) -> x - y);
        if (a instanceof Act x && b instanceof Pending p && p.is(Kind.MEAN) && sameAct(x, p.x())) return Pending.of(Kind.CENTERED, x);
        if (b instanceof Const c) return addConst(a, Consts.binary(Const.scalar(0), c, (x, y) -> x - y));
        throw new Unsupported("Sub of " + what(a) + " and " + what(b) + " (only x − mean(x) of LayerNorm, or a constant)");
    }

    private static boolean sameAct(Act a, Act b) {
        return a.node() == b.node() && Arrays.equals(a.shape(), b.shape());
    }

    private static String what(Val v) {
        if (v instanceof Act) return "an activation";
        if (v instanceof Const c) return "a " + c;
        if (v instanceof Pending p) return PendingOps.describe(p);
        if (v instanceof Val.Moved || v instanceof Val.MovedLinear) return "an activation whose batch axis is moved";
        return "an unusable value";
    }

    private Val mul(List<Val> ins) {
        Val a = in(ins, 0), b = in(ins, 1);
        if (a instanceof Const ca && b instanceof Const cb) return Consts.binary(ca, cb, (x, y) -> x * y);
        if (a instanceof Const || a instanceof Pending && !(b instanceof Pending) && !(b instanceof Const)) {
            Val t = a;
            a = b;
            b = t;
        }
        // now b is the constant, or the pattern's other factor
        if (b instanceof Const c) {
            if (a instanceof Pending p && p.is(Kind.X_ERF_PLUS_ONE) && c.isScalar() && near(c.v()[0], 0.5)) return gelu(p.x());
            if (a instanceof Pending p && p.is(Kind.NORMALIZED)) {
                int d = p.x().shape()[p.x().shape().length - 1];
                return new Pending(Kind.NORMALIZED_SCALED, p.x(), p.scalar(), broadcast(c, d), null);
            }
            if (!c.isScalar()) throw new Unsupported("Mul by a constant of shape " + Arrays.toString(c.dims()) + " (only by a scalar)");
            if (isMoved(a)) return movedScale(a, c.v()[0]);
            Act x = imp.act(a, "input 0");
            return new Pending(Kind.SCALED, x, c.v()[0], null, null);
        }
        for (int swap = 0; swap < 2; swap++) {
            Val u = swap == 0 ? a : b, w = swap == 0 ? b : a;
            if (u instanceof Act x && w instanceof Pending p) {
                if (p.is(Kind.SIGMOID) && sameAct(x, p.x())) return new Act(imp.add(label, new SiLU(), node(x)), x.shape());
                if (p.is(Kind.ERF_PLUS_ONE) && sameAct(x, p.x())) return Pending.of(Kind.X_ERF_PLUS_ONE, x);
            }
            if (u instanceof Pending h && h.is(Kind.SCALED) && near(h.scalar(), 0.5) && w instanceof Pending p && p.is(Kind.ERF_PLUS_ONE)
                    && sameAct(h.x(), p.x())) {
                return gelu(p.x());
            }
            if (u instanceof Pending c1 && c1.is(Kind.CENTERED) && w instanceof Pending c2 && c2.is(Kind.CENTERED) && sameAct(c1.x(), c2.x())) {
                return Pending.of(Kind.SQUARED, c1.x());
            }
        }
        throw new Unsupported("Mul of " + what(a) + " and " + what(b) + " (only by a scalar, or within SiLU, GELU or LayerNorm forms)");
    }

    private Val gelu(Act x) {
        return new Act(imp.add(label, new GELU(), node(x)), x.shape());
    }

    private Val div(List<Val> ins) {
        Val a = in(ins, 0), b = in(ins, 1);
        if (a instanceof Const ca && b instanceof Const cb) {
            // integer Div truncates (shape arithmetic: (3·D + 2) / 3 slices a fused projection)
            boolean integer = ca.integer() && cb.integer();
            return Consts.binary(ca, cb, (x, y) -> !integer || Double.isNaN(x) || Double.isNaN(y) ? x / y : (double) ((long) x / (long) y));
        }
        if (b instanceof Const c && c.isScalar() && isMoved(a)) return movedScale(a, 1 / c.v()[0]);
        if (b instanceof Const c && c.isScalar() && !(a instanceof Const)) {
            Act x = imp.act(a, "input 0");
            return new Pending(Kind.SCALED, x, 1 / c.v()[0], null, null);
        }
        if (a instanceof Pending c && c.is(Kind.CENTERED) && b instanceof Pending s && s.is(Kind.STD) && sameAct(c.x(), s.x())) {
            return new Pending(Kind.NORMALIZED, c.x(), s.scalar(), null, null);
        }
        throw new Unsupported("Div of " + what(a) + " by " + what(b) + " (only by a scalar, or LayerNorm's (x − mean)/√(var + ε))");
    }

    private Val movedScale(Val v, double factor) {
        Val.Moved m = imp.moved(v, "input 0");
        return MovedBatch.withNode(m, imp.add(label, new dev.apoptosis.graph.ops.Scale(factor), MovedBatch.node(imp, m, label)));
    }

    private Val erf(List<Val> ins) {
        Val a = in(ins, 0);
        if (a instanceof Pending p && p.is(Kind.SCALED) && near(p.scalar(), 1 / SQRT2)) return Pending.of(Kind.ERF, p.x());
        throw new Unsupported("Erf of " + what(a) + " (only erf(x/√2) within GELU)");
    }

    private Val pow(List<Val> ins) {
        Val a = in(ins, 0);
        Const e = constant(ins, 1, "the exponent");
        if (a instanceof Const c) return Consts.binary(c, e, Math::pow);
        if (a instanceof Pending p && p.is(Kind.CENTERED) && e.isScalar() && e.v()[0] == 2) return Pending.of(Kind.SQUARED, p.x());
        throw new Unsupported("Pow of " + what(a) + " (only (x − mean(x))² within LayerNorm)");
    }

    private Val sqrt(List<Val> ins) {
        Val a = in(ins, 0);
        if (a instanceof Const c) return Consts.binary(c, Const.scalar(0.5), Math::pow);
        if (a instanceof Pending p && p.is(Kind.VARIANCE_EPS)) return new Pending(Kind.STD, p.x(), p.scalar(), null, null);
        throw new Unsupported("Sqrt of " + what(a) + " (only √(var + ε) within LayerNorm)");
    }

    private Val reduceMean(List<Val> ins) {
        Val a = in(ins, 0);
        long[] axes = opset() < 18 ? intsAttr("axes") : opt(ins, 1) == null ? null : longs(constant(ins, 1, "the axes"));
        if (intAttr("keepdims", 1) != 1) throw new Unsupported("keepdims = 0");
        Act x = a instanceof Pending p && p.is(Kind.SQUARED) ? p.x() : imp.act(a, "input 0");
        int r = x.shape().length + 1;
        if (axes == null || axes.length != 1 || Consts.axis(axes[0], r, "ReduceMean") != r - 1) {
            throw new Unsupported("ReduceMean over axes " + Arrays.toString(axes) + " (only the last axis, within LayerNorm)");
        }
        return a instanceof Pending ? Pending.of(Kind.VARIANCE, x) : Pending.of(Kind.MEAN, x);
    }

    private long opset() {
        return imp.opset;
    }
}
