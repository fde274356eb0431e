package dev.apoptosis.cluster;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model as the bytes of its checkpoint: how the driver ships the current model to executors
 * (architecture, parameters, buffers and masks, exactly; the format verifies its checksum on
 * arrival). The format reads and writes files, so the bytes pass through a temporary file.
 */
final class ModelBytes {
    private ModelBytes() {}

    static byte[] of(Graph g) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("apoptosis-model", ".ckpt");
            Checkpoint.of(g, Map.of(), null, null).write(tmp);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise model '" + g.name() + "': " + e.getMessage(), e);
        } finally {
            delete(tmp);
        }
    }

    static Graph graph(byte[] bytes) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("apoptosis-model", ".ckpt");
            Files.write(tmp, bytes);
            return Checkpoint.readGraph(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped model: " + e.getMessage(), e);
        } finally {
            delete(tmp);
        }
    }

    /** The last model each executor thread rebuilt, with the bytes it came from (see {@link #graphOnce}). */
    private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

    /**
     * {@link #graph}, rebuilt once per thread for the same bytes: the blocks of one importance step
     * share the step's broadcast, so a thread scoring several of them reuses the model it rebuilt
     * for the first (as one process scores all blocks of a step on one graph) instead of writing and
     * parsing the checkpoint again per block. Bytes of another identity (the next step) rebuild.
     */
    static Graph graphOnce(byte[] bytes) {
        Object[] last = LAST.get();
        if (last != null && last[0] == bytes) return (Graph) last[1];
        Graph g = graph(bytes);
        LAST.set(new Object[] {bytes, g});
        return g;
    }

    private static void delete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover file in the temporary folder is not worth failing a task for
        }
    }
}
