package dev.apoptosis.onnx;

import dev.apoptosis.graph.Node;
import java.util.Arrays;

/**
 * What an ONNX value is while {@link OnnxImport} reads a graph: the importer does not translate node
 * by node but evaluates the ONNX graph symbolically, so that constant subgraphs fold away and
 * multi-node forms (x·sigmoid(x), GELU's erf form, LayerNorm decomposed) become one engine op.
 * <ul>
 * <li>{@link Act}: an activation, the output of an engine node, seen through a <em>view</em> shape
 *     (Flatten, Reshape, Squeeze and Unsqueeze only change the view; a node is added when an op needs
 *     the values in that shape);</li>
 * <li>{@link Const}: a constant known at import time (an initializer, a Constant node, anything
 *     computed from constants, and shapes, whose batch entry is NaN: unknown until run time);</li>
 * <li>{@link Pending}: a partial pattern waiting for the nodes that complete it; it becomes an engine
 *     node when something else consumes it, if it means something on its own, and is an error
 *     naming the consumer otherwise;</li>
 * <li>{@link Unusable}: an output the engine cannot produce (MaxPool's indices, Dropout's mask):
 *     reading it is an error, leaving it unread is fine.</li>
 * </ul>
 */
sealed interface Val {
    /** An activation: engine node {@code node} read as sample shape {@code shape} (same number of values). */
    record Act(Node node, int[] shape) implements Val {
        public Act {
            shape = shape.clone();
        }

        static Act of(Node n) {
            return new Act(n, n.outputShape());
        }

        /** True if the node's own output already has the view's shape. */
        boolean direct() {
            return Arrays.equals(node.outputShape(), shape);
        }

        int size() {
            int s = 1;
            for (int d : shape) s *= d;
            return s;
        }
    }

    /**
     * A constant: dimensions and row-major values (int64 values as doubles; NaN marks the run-time batch
     * size) and whether its ONNX type is an integer one (shape arithmetic: Div truncates).
     */
    record Const(long[] dims, double[] v, boolean integer) implements Val {
        /** A floating-point constant. */
        Const(long[] dims, double[] v) {
            this(dims, v, false);
        }

        /** An integer constant (int64, int32, bool ...: ONNX's integer arithmetic, e.g. Div truncates, applies). */
        static Const ints(long[] dims, double[] v) {
            return new Const(dims, v, true);
        }

        static boolean integerType(int onnxType) {
            return onnxType != OnnxTensor.FLOAT && onnxType != OnnxTensor.DOUBLE && onnxType != 10 && onnxType != 16;
        }

        static Const scalar(double x) {
            return new Const(new long[0], new double[] {x});
        }

        static Const vector(double... xs) {
            return new Const(new long[] {xs.length}, xs);
        }

        int rank() {
            return dims.length;
        }

        boolean isScalar() {
            return v.length == 1;
        }

        @Override
        public String toString() {
            return "constant " + Arrays.toString(dims) + (v.length <= 8 ? " " + Arrays.toString(v) : "");
        }
    }

    /** A partial pattern over activation {@code x}; {@code what} says which and {@code data} holds its numbers. */
    record Pending(Kind what, Act x, double scalar, float[] data, int[] ints) implements Val {
        enum Kind {
            /** x·c for a scalar c (Mul or Div by a constant): a Scale op on its own. */
            SCALED,
            /** sigmoid(x): only x·sigmoid(x) (SiLU) means something to the engine. */
            SIGMOID,
            /** erf(x/√2) and 1 + erf(x/√2): steps of GELU. */
            ERF, ERF_PLUS_ONE,
            /** x·(1 + erf(x/√2)): GELU but for the factor ½. */
            X_ERF_PLUS_ONE,
            /** x·W for a constant W (data = W as [out, in], ints = {out}): a Linear without bias on its own. */
            MATMUL_CONST,
            /** A permutation of x's sample axes (ints = perm): a Permute on its own. */
            PERMUTED,
            /** LayerNorm decomposed: mean(x), x − mean(x), (x − mean)², its mean, + ε, √, the normalised x, × γ. */
            MEAN, CENTERED, SQUARED, VARIANCE, VARIANCE_EPS, STD, NORMALIZED, NORMALIZED_SCALED,
            /** x cast to integers: ids, which only an embedding's Gather reads. */
            IDS,
            /** x padded with zeros (ints = {padH, padW}): becomes an AveragePool's own padding (count_include_pad). */
            ZERO_PADDED,
            /** A constant expanded to the batch (data = the constant, ints = its shape): ViT's class token before its Concat. */
            EXPANDED_CONST
        }

        static Pending of(Kind k, Act x) {
            return new Pending(k, x, 0, null, null);
        }

        boolean is(Kind k) {
            return what == k;
        }
    }

    /**
     * An activation whose batch axis an ONNX Transpose or Reshape has moved or merged with other axes
     * (nn.MultiheadAttention's export works on [tokens, batch·heads, width]): engine node {@code node}
     * read as sample shape {@code s}, and the ONNX tensor is the sequence of <em>atoms</em>
     * s[0..k), N, s[k..) (N the batch) grouped into consecutive runs, {@code groups} holding each
     * logical axis's number of atoms. The engine never moves the batch: transposes permute the sample
     * axes around it, and per-row ops (Linear, Softmax, MatMul of two such views) run on the node as
     * long as their axes are sample atoms. See {@link MovedBatch} for the layout algebra.
     */
    record Moved(Node node, int[] s, int k, int[] groups) implements Val {
        public Moved {
            s = s.clone();
            groups = groups.clone();
        }
    }

    /** x·W + b of a {@link Moved} x, waiting for a Slice of its output features (a fused projection split in three). */
    record MovedLinear(Moved x, float[] w, float[] b, int out) implements Val {}

    /** An output the engine cannot produce; {@code reason} says why. */
    record Unusable(String reason) implements Val {}
}
