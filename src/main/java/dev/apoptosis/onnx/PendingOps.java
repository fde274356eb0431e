package dev.apoptosis.onnx;

import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.LayerNorm;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.Permute;
import dev.apoptosis.graph.ops.Scale;
import dev.apoptosis.onnx.OnnxImport.Unsupported;
import dev.apoptosis.onnx.Val.Act;
import dev.apoptosis.onnx.Val.Pending;
import dev.apoptosis.onnx.Val.Pending.Kind;
import java.util.Arrays;

/**
 * What a {@link Pending} pattern means when something other than its completing node reads it: the
 * engine node of the partial form (x·c is a Scale, x·W a Linear without bias, a permutation a
 * Permute, the normalised x a LayerNorm with γ = 1, β = 0), or an error naming the consumer when the
 * partial form has no engine op (a lone sigmoid, erf, mean or variance).
 */
final class PendingOps {
    private final OnnxImport imp;

    PendingOps(OnnxImport imp) {
        this.imp = imp;
    }

    Act materialize(Pending p, String consumer) {
        if (p.x() == null) {
            throw new Unsupported(consumer + " reads " + describe(p) + ", which the engine has no op for (only as part of " + whole(p.what()) + ")");
        }
        String own = imp.nameOf(p), base = p.x().node().name();
        Node x = switch (p.what()) {
            case SCALED, MATMUL_CONST, PERMUTED, NORMALIZED, NORMALIZED_SCALED -> imp.node(p.x(), base);
            default -> null;
        };
        return switch (p.what()) {
            case SCALED -> Act.of(imp.add(own != null ? own : base + "/scale", new Scale(p.scalar()), x));
            case MATMUL_CONST -> {
                Node n = imp.add(own != null ? own : base + "/linear", new Linear(p.ints()[0], false), x);
                imp.param(n, "weight", p.data());
                yield Act.of(n);
            }
            case PERMUTED -> Act.of(imp.add(own != null ? own : base + "/permute", new Permute(p.ints()), x));
            case NORMALIZED, NORMALIZED_SCALED -> {
                int d = p.x().shape()[p.x().shape().length - 1];
                Node n = imp.add(own != null ? own : base + "/layernorm", new LayerNorm(p.scalar()), x);
                float[] gamma = p.data() != null ? p.data() : filled(d, 1f);
                imp.param(n, "weight", gamma);
                imp.param(n, "bias", new float[d]);
                yield Act.of(n);
            }
            default -> throw new Unsupported(consumer + " reads " + describe(p) + ", which the engine has no op for"
                    + " (only as part of " + whole(p.what()) + ")");
        };
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    static String describe(Pending p) {
        return switch (p.what()) {
            case SIGMOID -> "sigmoid(x)";
            case ERF -> "erf(x/√2)";
            case ERF_PLUS_ONE -> "1 + erf(x/√2)";
            case X_ERF_PLUS_ONE -> "x·(1 + erf(x/√2))";
            case MEAN -> "the mean of x over its last axis";
            case CENTERED -> "x − mean(x)";
            case SQUARED -> "(x − mean(x))²";
            case VARIANCE -> "the variance of x";
            case VARIANCE_EPS -> "the variance of x + ε";
            case STD -> "√(variance + ε)";
            case EXPANDED_CONST -> "a constant expanded to the batch";
            case ZERO_PADDED -> "a zero-padded image";
            case IDS -> "x cast to integers";
            default -> p.what().toString();
        };
    }

    private static String whole(Kind k) {
        return switch (k) {
            case SIGMOID -> "x·sigmoid(x), SiLU";
            case ERF, ERF_PLUS_ONE, X_ERF_PLUS_ONE -> "x·½·(1 + erf(x/√2)), GELU";
            case EXPANDED_CONST -> "a class token: Concat on the token axis with the constant first";
            case ZERO_PADDED -> "an AveragePool that counts the padding";
            case IDS -> "a Gather of a constant table's rows (an embedding)";
            default -> "LayerNorm's decomposed form";
        };
    }
}
