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

    private static void delete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover file in the temporary folder is not worth failing a task for
        }
    }
}
