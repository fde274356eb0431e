package dev.apoptosis.graph;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Maps op kind names to factories from {@link Attrs}: how a checkpoint (or an importer) turns a
 * stored (kind, attributes) pair back into an op. Every op in {@code dev.apoptosis.graph.ops}
 * registers itself in {@link dev.apoptosis.graph.ops.Ops}.
 */
public final class OpRegistry {
    private static final Map<String, Function<Attrs, Op>> FACTORIES = new TreeMap<>();

    private OpRegistry() {}

    public static synchronized void register(String kind, Function<Attrs, Op> factory) {
        if (FACTORIES.put(kind, factory) != null) throw new IllegalStateException("op kind registered twice: " + kind);
    }

    /** Builds an op of {@code kind}; unknown kinds are an error listing the known ones. */
    public static Op create(String kind, Attrs attrs) {
        dev.apoptosis.graph.ops.Ops.ensureRegistered();
        Function<Attrs, Op> f;
        synchronized (OpRegistry.class) {
            f = FACTORIES.get(kind);
        }
        if (f == null) throw new IllegalArgumentException("unknown op kind '" + kind + "'; known: " + FACTORIES.keySet());
        try {
            return f.apply(attrs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("op " + kind + attrs + ": " + e.getMessage(), e);
        }
    }

    public static synchronized java.util.Set<String> kinds() {
        dev.apoptosis.graph.ops.Ops.ensureRegistered();
        return java.util.Set.copyOf(FACTORIES.keySet());
    }
}
