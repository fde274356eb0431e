package dev.apoptosis.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.onnx.OnnxExport;
import dev.apoptosis.onnx.OnnxFile;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A graph exported to ONNX and run by ONNX Runtime, for {@link InferenceBench}. ONNX Runtime is not
 * part of the toolkit's run-time class path (it verifies exports in tests): only this class names it,
 * and it is loaded only when a benchmark asks for it ({@link #factory}).
 */
final class OrtEngine implements InferenceBench.Engine {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final long[] shape;

    private OrtEngine(Graph g, int threads) {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(OnnxFile.encode(OnnxExport.toModel(g, Map.of(), OnnxExport.Options.defaults())), opts);
            input = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the exported " + g.name() + ": " + e.getMessage(), e);
        }
        int[] s = g.inputs().get(0).outputShape();
        shape = new long[s.length + 1];
        for (int i = 0; i < s.length; i++) shape[i + 1] = s[i];
    }

    @Override
    public void run(float[] batch, int n) {
        shape[0] = n;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            r.get(0);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ONNX Runtime engines with {@code threads} intra-op threads (see {@link InferenceBench#onnxRuntime}). */
    static java.util.function.Function<Graph, InferenceBench.Engine> factory(int threads) {
        return g -> new OrtEngine(g, threads);
    }
}
