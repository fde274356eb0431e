package dev.apoptosis.bench;

import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What a pruned model gains at inference: the wall time of a forward pass (evaluation mode, nothing
 * kept for a backward pass) of several models at several batch sizes, in this toolkit and optionally
 * in ONNX Runtime on the same exported model. MACs kept is not time saved; this measures the time.
 *
 * <p><b>Side by side.</b> Every round times every model and engine in turn, each for {@code reps}
 * passes after its warm-up, so whatever else loads the machine weighs on all alike; a figure is the
 * median over all rounds' passes, and the speed-up is the ratio of medians to the first model's.
 */
public final class InferenceBench {
    /** One model at one batch size: median milliseconds per pass in each engine (NaN when not measured). */
    public record Row(String model, long macs, long params, int batch, double oursMs, double ortMs) {
        public double oursPerSecond() {
            return batch * 1000.0 / oursMs;
        }

        public double ortPerSecond() {
            return batch * 1000.0 / ortMs;
        }
    }

    /** A model under test: its graph, and (for ONNX Runtime) a way to run its exported bytes. */
    public interface Engine extends AutoCloseable {
        /** Runs one forward pass of the batch. */
        void run(float[] batch, int n);

        @Override
        void close();
    }

    private InferenceBench() {}

    /**
     * ONNX Runtime engines with {@code threads} intra-op threads, or a clear error when ONNX Runtime is
     * not on the class path: it is a test and benchmark dependency, not part of the run-time jar, so
     * the check comes before any class that names its types is loaded.
     */
    public static java.util.function.Function<Graph, Engine> onnxRuntime(int threads) {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, InferenceBench.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--onnxruntime: ONNX Runtime is not on the class path (a test and benchmark dependency, "
                    + "not part of the run-time jar); experiments/speed.sh runs this benchmark with it");
        }
        return OrtEngine.factory(threads);
    }

    /**
     * Times {@code graphs} (the first is the reference of the speed-ups) at each batch size; {@code ort}
     * makes an ONNX Runtime engine for a graph, or is null to time this toolkit alone.
     */
    public static List<Row> run(List<String> names, List<Graph> graphs, List<Integer> batches, int rounds, int reps, int warmup,
                                java.util.function.Function<Graph, Engine> ort) {
        List<Row> rows = new ArrayList<>();
        for (int batch : batches) {
            int[] shape = graphs.get(0).inputs().get(0).outputShape();
            int per = 1;
            for (int d : shape) per *= d;
            float[] x = new float[batch * per];
            Random rnd = new Random(batch);
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            int[] full = new int[shape.length + 1];
            full[0] = batch;
            System.arraycopy(shape, 0, full, 1, shape.length);
            Tensor input = Tensor.wrap(x, full);
            int m = graphs.size();
            List<Engine> engines = new ArrayList<>();
            try {
                for (Graph g : graphs) engines.add(ort == null ? null : ort.apply(g));
                double[][] ours = new double[m][rounds * reps], theirs = new double[m][rounds * reps];
                for (int i = 0; i < m; i++) {
                    for (int w = 0; w < warmup; w++) {
                        forward(graphs.get(i), input);
                        if (engines.get(i) != null) engines.get(i).run(x, batch);
                    }
                }
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < m; i++) {
                        for (int k = 0; k < reps; k++) ours[i][r * reps + k] = forward(graphs.get(i), input);
                        Engine e = engines.get(i);
                        for (int k = 0; k < reps && e != null; k++) {
                            long t0 = System.nanoTime();
                            e.run(x, batch);
                            theirs[i][r * reps + k] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
                for (int i = 0; i < m; i++) {
                    Graph g = graphs.get(i);
                    rows.add(new Row(names.get(i), g.macs(), g.numParameters(), batch, Timing.median(ours[i]),
                            engines.get(i) == null ? Double.NaN : Timing.median(theirs[i])));
                }
            } finally {
                for (Engine e : engines) if (e != null) e.close();
            }
        }
        return rows;
    }

    private static double forward(Graph g, Tensor input) {
        long t0 = System.nanoTime();
        try (Pass p = Pass.forward(g, Map.of(g.inputs().get(0).name(), input), Mode.EVAL, 0L, false)) {
            p.output();
        }
        return (System.nanoTime() - t0) / 1e6;
    }


    /** A Markdown table: per batch size, each model's time, throughput and speed-up over the first model, per engine. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| model | MACs | params | batch | ours ms | ours img/s | ours speed-up | ONNX Runtime ms | ORT img/s | ORT speed-up | ours / ORT time |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Row first = null;
        for (Row r : rows) {
            if (first == null || first.batch() != r.batch()) first = r;
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %d | %.3f | %.0f | %.2fx | %s | %s | %s | %s |%n", r.model(), r.macs(), r.params(),
                    r.batch(), r.oursMs(), r.oursPerSecond(), first.oursMs() / r.oursMs(),
                    fmt("%.3f", r.ortMs()), fmt("%.0f", r.ortPerSecond()), fmt("%.2fx", first.ortMs() / r.ortMs()),
                    fmt("%.2f", r.oursMs() / r.ortMs())));
        }
        return b.toString();
    }

    private static String fmt(String f, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, f, v) : "–";
    }
}
