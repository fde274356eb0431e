package dev.apoptosis.fuzz;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.checkpoint.CheckpointException;
import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.checkpoint.EpochSoFar;
import dev.apoptosis.checkpoint.OptimizerState;
import dev.apoptosis.checkpoint.TrainingProgress;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint reader as a fuzz target: a model-only checkpoint, a mid-epoch training checkpoint
 * (optimiser state, progress, history) and a masked one (format 3) as seeds; reading includes rebuilding the graph,
 * as {@code info} and {@code eval} do. The seal recomputes the trailer (payload length, SHA-256 over
 * the header too when flags bit 0 says so, end marker), so mutations reach the payload decoder.
 */
public final class CheckpointFuzzTarget {
    private static final int HEADER = 16, TRAILER = 48;

    private CheckpointFuzzTarget() {}

    /** The target. */
    public static FuzzTarget target() {
        return new FuzzTarget("checkpoint", CheckpointException.class, CheckpointFuzzTarget::seeds,
                file -> Checkpoint.read(file).toGraph(file), (b, r) -> seal(b), 16);
    }

    static List<byte[]> seeds(Path scratch) throws IOException {
        Files.createDirectories(scratch);
        Graph g = model();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, "fuzz");
        meta.put(Checkpoint.Meta.CLASSES, "a\nb\nc");
        Path plain = scratch.resolve("plain.ckpt");
        Checkpoint.of(g, meta, null, null).write(plain);
        Map<String, Tensor> momentum = new LinkedHashMap<>();
        for (var p : g.parameters()) momentum.put(p.name(), Tensor.zeros(p.value().shape()));
        TrainingProgress progress = new TrainingProgress(2, 3, Map.of("lr", "0.1", "epochs", "4"),
                new EpochSoFar(48, 30.5, 20, 40, 1.5),
                List.of(new EpochRecord(1, 1.2, 0.4, 1.1, 0.5, 0.9, 2.0), new EpochRecord(2, 0.9, 0.6, 0.8, 0.7, 1.0, 2.5)));
        Path training = scratch.resolve("training.ckpt");
        Checkpoint.of(g, meta, new OptimizerState("sgd", 27, momentum), progress).write(training);
        // Format 3's masks section: a 0/1 mask over the linear layer's weights.
        Checkpoint dense = Checkpoint.read(plain);
        Tensor mask = Tensor.zeros(dense.state().get("fc.weight").shape());
        for (int i = 0; i < mask.size(); i += 2) mask.data()[mask.offset() + i] = 1f;
        Path masked = scratch.resolve("masked.ckpt");
        new Checkpoint(dense.metadata(), dense.graphName(), dense.outputName(), dense.nodes(), dense.state(), null, null,
                Map.of("fc.weight", mask)).write(masked);
        Checkpoint.read(masked).toGraph(masked); // a seed must be valid
        return List.of(Files.readAllBytes(plain), Files.readAllBytes(training), Files.readAllBytes(masked));
    }

    /** conv, BatchNorm (buffers), ReLU, flatten, linear: every attribute type and tensor kind a checkpoint holds. */
    static Graph model() {
        GraphBuilder b = new GraphBuilder("fuzz", 5);
        Node x = b.input("input", 1, 4, 4);
        x = b.add("relu", new ReLU(), b.add("bn", new BatchNorm2d(), b.add("conv", Conv2d.of(2, 3, 1, 1, false), x)));
        return b.build(b.add("fc", Linear.of(3), b.add("flat", new Flatten(), x)));
    }

    /** Rewrites the trailer for the bytes as they now are: length, digest and end marker. */
    public static byte[] seal(byte[] b) {
        if (b.length < HEADER + TRAILER) return b;
        int flags = ByteBuffer.wrap(b, 12, 4).getInt();
        int payload = b.length - HEADER - TRAILER;
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if ((flags & 1) != 0) sha.update(b, 0, HEADER);
        sha.update(b, HEADER, payload);
        ByteBuffer t = ByteBuffer.wrap(b, b.length - TRAILER, TRAILER);
        t.putLong(payload).put(sha.digest()).put("CKPT-END".getBytes(StandardCharsets.US_ASCII));
        return b;
    }

}
