package dev.apoptosis.importance;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.OpProperty;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the data-driven criteria share: the forward pass of one calibration batch with its loss, the
 * batch's seed, and the conversion of float32 engine products into float64 per-parameter scores.
 */
final class CalibrationPass {
    private CalibrationPass() {}

    /** Conv/Linear weights and biases ({@link OpProperty#PARAMETER_LAYER}): what OBA, OBD, Taylor and magnitude score. */
    static final Predicate<Parameter> PARAMETER_LAYERS = p -> p.node().op().has(OpProperty.PARAMETER_LAYER);

    /** The trainable parameters of {@code g} that {@code which} accepts, in graph order; an error if none. */
    static List<Parameter> select(Graph g, Predicate<Parameter> which, String criterion, String what) {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : g.parameters()) if (which.test(p)) ps.add(p);
        if (ps.isEmpty()) throw new IllegalArgumentException("criterion '" + criterion + "': graph '" + g.name() + "' has no " + what);
        return ps;
    }

    /**
     * Runs the forward pass of one batch in {@code mode} (never TRAIN: buffers stay untouched) with
     * the mean softmax cross-entropy evaluated, ready for derivative passes. Dropout, if any, is
     * seeded from {@link #seed}.
     */
    static Pass open(Graph g, Tensor images, int[] labels, Mode mode, long seed, String criterion) {
        if (mode == Mode.TRAIN) throw new IllegalArgumentException("criterion '" + criterion + "': importance passes never run in TRAIN mode");
        if (images == null || labels == null) {
            throw new IllegalArgumentException("criterion '" + criterion + "' needs a calibration batch: images and labels must not be null");
        }
        if (g.inputs().size() != 1) {
            throw new IllegalArgumentException("criterion '" + criterion + "': graph '" + g.name() + "' has " + g.inputs().size()
                    + " inputs; criteria score graphs with one image input");
        }
        if (images.rank() < 1 || images.dim(0) != labels.length) {
            throw new IllegalArgumentException("criterion '" + criterion + "': " + labels.length + " labels for a batch of shape "
                    + java.util.Arrays.toString(images.shape()));
        }
        Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), images), mode, seed(seed, images, labels), true);
        try {
            p.loss(new SoftmaxCrossEntropy(), labels);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /**
     * A seed for the batch's random draws (probes, Dropout), mixed from {@code seed} and the bits of
     * the batch's images and labels: the same batch gets the same draws in any process, in any order,
     * which is what lets scores of split calibration sets merge into those of the whole.
     */
    static long seed(long seed, Tensor images, int[] labels) {
        long h = 0x9E3779B97F4A7C15L ^ seed;
        float[] d = images.data();
        int off = images.offset(), n = images.size();
        for (int i = 0; i < n; i++) h = mix(h + Float.floatToRawIntBits(d[off + i]));
        for (int l : labels) h = mix(h + l);
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The direction v = θ (or sign θ if {@code sign}) on {@code params}, zero elsewhere. */
    static ParamVector direction(Graph g, List<Parameter> params, boolean sign) {
        ParamVector v = ParamVector.zeros(g);
        for (Parameter p : params) {
            Tensor t = p.value().copy();
            if (sign) for (int i = 0; i < t.size(); i++) t.setAt(i, Math.signum(t.at(i)));
            v.set(g.parameterIndex(p), t);
        }
        return v;
    }

    /** Per parameter: m_i · (a_i + w·b_i) in float64, with m = θ (or sign θ if {@code signMultiplier}); b may be null (zero). */
    static Map<String, double[]> scores(Graph g, List<Parameter> params, boolean signMultiplier, ParamVector a, ParamVector b,
                                        double w) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (Parameter p : params) {
            int slot = g.parameterIndex(p);
            Tensor th = p.value(), ta = a.get(slot), tb = b == null ? null : b.get(slot);
            double[] s = new double[th.size()];
            for (int i = 0; i < s.length; i++) {
                double mult = signMultiplier ? Math.signum(th.at(i)) : th.at(i);
                double x = (ta == null ? 0 : ta.at(i)) + (tb == null || w == 0 ? 0 : w * tb.at(i));
                s[i] = mult * x;
            }
            m.put(p.name(), s);
        }
        return m;
    }
}
