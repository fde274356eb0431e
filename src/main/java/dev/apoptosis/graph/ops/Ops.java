package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.OpRegistry;

/** Registers every op kind of this package with {@link OpRegistry}: the one list of supported ops. */
public final class Ops {
    private static boolean done;

    private Ops() {}

    public static synchronized void ensureRegistered() {
        if (done) return;
        done = true;
        OpRegistry.register("Input", Input::fromAttrs);
        OpRegistry.register("Linear", Linear::fromAttrs);
        OpRegistry.register("ReLU", a -> new ReLU());
        OpRegistry.register("Add", a -> new Add());
    }
}
