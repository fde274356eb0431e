package dev.apoptosis.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/** Shared by the ONNX tests: ONNX Runtime as the oracle, our own forward pass, and a comparison. */
final class OnnxTesting {
    private OnnxTesting() {}

    /** Runs the serialized model in ONNX Runtime on one float input; returns the first output. */
    static float[] runOrt(byte[] model, String inputName, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model, opts);
                 ai.onnxruntime.OnnxTensor in = ai.onnxruntime.OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toArray()), longs(x.shape()));
                 OrtSession.Result r = s.run(Map.of(inputName, in))) {
                FloatBuffer fb = ((ai.onnxruntime.OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    static long[] longs(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) l[i] = s[i];
        return l;
    }

    /** Our own EVAL-mode output. */
    static float[] forward(Graph g, Tensor x) {
        try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), x), Mode.EVAL, 0L, false)) {
            return p.output().toArray();
        }
    }

    /** A batch of {@code n} standard-normal samples of {@code g}'s input shape. */
    static Tensor input(Graph g, int n, long seed) {
        int[] s = g.inputs().get(0).outputShape();
        int[] shape = new int[s.length + 1];
        shape[0] = n;
        System.arraycopy(s, 0, shape, 1, s.length);
        return Tensor.randn(new Random(seed), 1f, shape);
    }

    /**
     * Gives every BatchNorm's γ, β and running statistics non-trivial values, so an export that
     * dropped, swapped or mis-folded them shows (a fresh model has γ = 1, β = 0, μ = 0, σ² = 1).
     */
    static void randomizeNorms(Graph g, long seed) {
        Random r = new Random(seed);
        for (Parameter p : g.parameters()) {
            String local = p.spec().name();
            if (p.node().op().kind().equals("BatchNorm2d") || p.node().op().kind().equals("LayerNorm")) {
                float[] d = p.value().data();
                for (int i = 0; i < p.size(); i++) d[p.value().offset() + i] = local.equals("weight") ? 0.5f + r.nextFloat() : 0.2f * (float) r.nextGaussian();
            }
        }
        for (Parameter p : g.buffers()) {
            float[] d = p.value().data();
            boolean var = p.spec().name().equals("running_var");
            for (int i = 0; i < p.size(); i++) d[p.value().offset() + i] = var ? 0.5f + r.nextFloat() : 0.2f * (float) r.nextGaussian();
        }
    }

    /** max |a − b| / (1 + max |b|): a relative difference that does not blow up at zeros. */
    static double relativeDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double m = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return m / Math.max(1, scale);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
