package dev.apoptosis.autodiff;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.Node;

/**
 * An opt-in listener that learns how long each op rule of a {@link Pass} takes, for finding where a
 * step's time goes ({@code apoptosis bench profile} is built on it).
 *
 * <p>Attach one with {@link Pass#forward(dev.apoptosis.graph.Graph, java.util.Map, Mode, long, boolean, PassProfiler)}
 * or {@link Pass#setProfiler}. The pass then calls {@link #begin} just before and {@link #record} just
 * after every rule it runs: once per node and {@link Phase} in which the node's rule runs. Input nodes
 * run no rule and are never reported; a reverse or tangent pass reports only the nodes whose rule it
 * actually calls (a node the direction or the loss does not reach is skipped, as the pass skips it).
 * The nanoseconds cover the rule call alone ({@link System#nanoTime} around it, wall clock, including
 * the time kernel threads work for it); the engine's own work between rules (summing adjoints of
 * several consumers, adding parameter gradients) is not in any record.
 *
 * <p>Calls come from the thread running the pass, in execution order. Without a profiler the pass
 * only tests a field for {@code null} per rule, so profiling costs nothing when off; with one it
 * changes no result (the rules run exactly as without it).
 */
@FunctionalInterface
public interface PassProfiler {

    /** Which rule of a node ran. */
    enum Phase {
        /** {@code Op.forward}, during {@link Pass#forward}. */
        FORWARD,
        /** {@code Op.backward} (the VJP), in a backward pass and in the reverse half of a curvature pass. */
        BACKWARD,
        /** {@code Op.tangent} (the JVP), in {@link Pass#tangents} and the first half of a curvature pass. */
        TANGENT,
        /** {@code Op.rBackward} (the R-adjoint), in the reverse half of a curvature pass. */
        R_BACKWARD
    }

    /** Called right before {@code node}'s rule for {@code phase} starts; by default does nothing. */
    default void begin(Node node, Phase phase) {}

    /**
     * Called right after {@code node}'s rule for {@code phase} returned, with its wall time in
     * nanoseconds. The op kind is {@code node.op().kind()}.
     */
    void record(Node node, Phase phase, long nanos);
}
