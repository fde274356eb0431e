package dev.apoptosis.bench;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.conv.ConvPath;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Checks the convolution path rules on this machine: for every distinct convolution of a model and each
 * of its passes, the path the rules choose is timed against every other path that supports the geometry
 * ({@link ConvPath#pin}), alternated in rounds in one JVM, so a rule measured on one CPU can be seen to
 * hold, or not, on another.
 *
 * <p>The input gradient of a convolution that reads a graph input is skipped, as training skips it.
 */
public final class ConvPathAudit {
    private ConvPathAudit() {}

    /** One path's median time for one pass. */
    public record Timed(ConvPath path, double ms) {}

    /**
     * One pass of one geometry: the layers that share it, the path the rules chose and the fastest path,
     * with every candidate's median. {@code chosen} is null when the rules' choice could not be traced.
     */
    public record Row(List<String> layers, ConvGeometry geometry, ConvPath.Pass pass, ConvPath chosen, List<Timed> timed) {
        /** The chosen path's median (the first candidate is always the rules' own run). */
        public double chosenMs() {
            return timed.get(0).ms();
        }

        /** The fastest pinned path. */
        public Timed best() {
            Timed b = timed.get(0);
            for (Timed t : timed) if (t.ms() < b.ms()) b = t;
            return b;
        }

        /** True when the fastest path gives the rules' path's bits (see {@link ConvPath#sameBits}). */
        public boolean bestHasSameBits() {
            return chosen != null && ConvPath.sameBits(chosen, best().path());
        }

        /** chosen / best time: above 1 when another path was faster. */
        public double gain() {
            return chosenMs() / best().ms();
        }

        /** A short name for the shape: "16:11 32x32 k3 s2". */
        public String shape() {
            ConvGeometry g = geometry;
            return String.format(Locale.ROOT, "%d:%d %dx%d k%d s%d%s", g.inChannels(), g.outChannels(), g.inH(), g.inW(),
                    g.kernelH(), g.strideH(), g.groups() > 1 ? " g" + g.groups() : "");
        }
    }

    /**
     * Audits every distinct Conv2d of {@code graph} at batch {@code batch}: {@code rounds} rounds, each
     * running every candidate for {@code seconds / rounds / candidates}, after one untimed block each for
     * the JIT compiler. {@code sink} receives each row as it is done.
     */
    public static List<Row> run(String model, int batch, double seconds, int rounds, Consumer<Row> sink) {
        return run(RandomCifarStep.graph(model, 0), batch, seconds, rounds, sink);
    }

    /** How results name a model: its zoo name, or a file's name without its extension. */
    public static String label(String model) {
        return RandomCifarStep.label(model);
    }

    /** As {@link #run(String, int, double, int, Consumer)}, for a graph at hand. */
    public static List<Row> run(Graph graph, int batch, double seconds, int rounds, Consumer<Row> sink) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        // One target per distinct geometry, in graph order, with every layer that has it.
        Map<String, Target> targets = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof Conv2d conv)) continue;
            ConvGeometry g = conv.geometry(batch, n.inputShapes()[0]);
            Target t = targets.computeIfAbsent(g.toString(), k -> new Target(g, false));
            t.layers.add(n.name());
            t.inputGradient |= !n.inputs().get(0).isInput();
        }
        if (targets.isEmpty()) throw new IllegalArgumentException("the model has no Conv2d layers to audit");
        return audit(List.copyOf(targets.values()), seconds, rounds, sink);
    }

    /** Audits the given geometries (each named by its shape), all three passes of each. */
    public static List<Row> runShapes(List<ConvGeometry> shapes, double seconds, int rounds, Consumer<Row> sink) {
        List<Target> targets = new ArrayList<>();
        for (ConvGeometry g : shapes) {
            Target t = new Target(g, true);
            t.layers.add("-");
            targets.add(t);
        }
        return audit(targets, seconds, rounds, sink);
    }

    /** A geometry to audit, the layers that have it, and whether its input gradient is wanted (not for a graph input's reader, as in training). */
    private static final class Target {
        final ConvGeometry geometry;
        final List<String> layers = new ArrayList<>();
        boolean inputGradient;

        Target(ConvGeometry geometry, boolean inputGradient) {
            this.geometry = geometry;
            this.inputGradient = inputGradient;
        }
    }

    private static List<Row> audit(List<Target> targets, double seconds, int rounds, Consumer<Row> sink) {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
        List<Row> rows = new ArrayList<>();
        for (Target t : targets) {
            for (ConvPath.Pass pass : ConvPath.Pass.values()) {
                if (pass == ConvPath.Pass.INPUT && !t.inputGradient) continue;
                Row r = audit(List.copyOf(t.layers), t.geometry, pass, seconds, rounds);
                rows.add(r);
                sink.accept(r);
            }
        }
        return rows;
    }

    /**
     * A shape as {@code bench paths --shapes} takes it: {@code CIN:COUT:SIZE[:STRIDE[:KERNEL]]} (a square
     * input, padding half the kernel; stride 1 and kernel 3 unless given) at batch {@code batch}.
     */
    public static ConvGeometry shape(String spec, int batch) {
        String[] f = spec.split(":");
        if (f.length < 3 || f.length > 5) {
            throw new IllegalArgumentException("shape '" + spec + "': expected CIN:COUT:SIZE[:STRIDE[:KERNEL]], e.g. 64:128:16");
        }
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            try {
                v[i] = Integer.parseInt(f[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape '" + spec + "': '" + f[i] + "' is not a whole number", e);
            }
            if (v[i] < 1) throw new IllegalArgumentException("shape '" + spec + "': every field must be >= 1");
        }
        int stride = f.length > 3 ? v[3] : 1, k = f.length > 4 ? v[4] : 3;
        return ConvGeometry.builder().batch(batch).input(v[0], v[2], v[2]).outChannels(v[1]).kernel(k).stride(stride).padding(k / 2).build();
    }

    /** One geometry and pass: the rules' path first, then every other path that takes it when pinned. */
    static Row audit(List<String> names, ConvGeometry g, ConvPath.Pass pass, double seconds, int rounds) {
        Pass run = new Pass(g, pass);
        List<ConvPath> candidates = new ArrayList<>();
        candidates.add(null);                    // the rules
        ConvPath.trace(true);
        ConvPath chosen;
        try {
            run.once();
            chosen = ConvPath.lastTaken();
            for (ConvPath p : ConvPath.values()) {
                if (!p.serves(pass) || p == chosen) continue;
                try (ConvPath.Pin pin = ConvPath.pin(p)) {
                    ConvPath.trace(true);
                    run.once();
                    if (ConvPath.lastTaken() == p) candidates.add(p);
                }
            }
        } finally {
            ConvPath.trace(false);
        }
        List<List<Double>> ms = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) ms.add(new ArrayList<>());
        double block = seconds / rounds / candidates.size();
        for (int round = -1; round < rounds; round++) {        // round -1: untimed, for the JIT compiler
            for (int i = 0; i < candidates.size(); i++) {
                ConvPath p = candidates.get(i);
                try (ConvPath.Pin pin = p == null ? null : ConvPath.pin(p)) {
                    long end = System.nanoTime() + (long) (block * 1e9);
                    for (int reps = 0; reps < 2 || System.nanoTime() < end; reps++) {
                        long t0 = System.nanoTime();
                        run.once();
                        if (round >= 0) ms.get(i).add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
        }
        List<Timed> timed = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            timed.add(new Timed(i == 0 ? chosen : candidates.get(i), Timing.median(ms.get(i).stream().mapToDouble(Double::doubleValue).toArray())));
        }
        return new Row(names, g, pass, chosen, List.copyOf(timed));
    }

    /** The operands of one pass, made once. */
    private static final class Pass {
        final ConvGeometry g;
        final ConvPath.Pass pass;
        final Tensor x, w, gy, y, gx, gw;

        Pass(ConvGeometry g, ConvPath.Pass pass) {
            this.g = g;
            this.pass = pass;
            Random r = new Random(1);
            x = Tensor.randn(r, 1f, g.inputShape());
            w = Tensor.randn(r, 0.1f, g.weightShape());
            gy = Tensor.randn(r, 1f, g.outputShape());
            y = Tensor.zeros(g.outputShape());
            gx = Tensor.zeros(g.inputShape());
            gw = Tensor.zeros(g.weightShape());
        }

        void once() {
            switch (pass) {
                case FORWARD -> Conv2dKernels.forwardInto(g, x, w, null, y, false);
                case INPUT -> Conv2dKernels.backwardInputInto(g, gy, w, gx, false);
                case WEIGHT -> Conv2dKernels.backwardWeightInto(g, x, gy, gw, false);
            }
        }
    }

    /** The header of {@link #text}'s table. */
    public static String header() {
        return String.format(Locale.ROOT, "%-26s %-24s %-4s %-22s %8s %-22s %8s %6s   %s", "layers", "shape", "pass", "rules' path", "ms",
                "fastest path", "ms", "gain", "every candidate (ms)");
    }

    /**
     * One row as text; a gain of 5 % or more is marked with '!', and a fastest path whose sums round
     * differently from the rules' path with '~' (choosing it would change results in the last bits).
     */
    public static String text(Row r) {
        Timed b = r.best();
        StringBuilder all = new StringBuilder();
        for (Timed t : r.timed()) {
            if (all.length() > 0) all.append(", ");
            all.append(String.format(Locale.ROOT, "%s %.3f", name(t.path()), t.ms()));
        }
        String layers = r.layers().get(0) + (r.layers().size() > 1 ? " +" + (r.layers().size() - 1) : "");
        return String.format(Locale.ROOT, "%-26s %-24s %-4s %-22s %8.3f %-22s %8.3f %5.2fx%s%s %s", layers, r.shape(), r.pass().label(),
                name(r.chosen()), r.chosenMs(), name(b.path()), b.ms(), r.gain(), r.gain() >= 1.05 ? "!" : " ",
                r.bestHasSameBits() ? " " : "~", all);
    }

    /** One row as a JSON object. */
    public static String json(Row r, int threads) {
        StringBuilder all = new StringBuilder();
        for (Timed t : r.timed()) {
            if (all.length() > 0) all.append(",");
            all.append(String.format(Locale.ROOT, "{\"path\":\"%s\",\"ms\":%.4f}", name(t.path()), t.ms()));
        }
        return String.format(Locale.ROOT,
                "{\"name\":\"paths/%s/%s\",\"threads\":%d,\"layers\":%d,\"chosen\":\"%s\",\"chosen_ms\":%.4f,\"best\":\"%s\",\"best_ms\":%.4f,\"gain\":%.4f,\"same_bits\":%b,\"candidates\":[%s]}",
                r.shape().replace(' ', '_'), r.pass().label(), threads, r.layers().size(), name(r.chosen()), r.chosenMs(),
                name(r.best().path()), r.best().ms(), r.gain(), r.bestHasSameBits(), all);
    }

    /**
     * What the model's passes would take with every row's fastest path instead of the rules' (each row
     * counted once per layer that shares it): {chosen ms, best ms}.
     */
    public static double[] totals(List<Row> rows) {
        double chosen = 0, best = 0;
        for (Row r : rows) {
            chosen += r.layers().size() * r.chosenMs();
            best += r.layers().size() * r.best().ms();
        }
        return new double[] {chosen, best};
    }

    private static String name(ConvPath p) {
        return p == null ? "?" : p.name().toLowerCase(Locale.ROOT);
    }
}
