package dev.apoptosis.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.fuzz.CheckpointFuzzTarget;
import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.NodeDef;
import dev.apoptosis.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: checkpoints crafted with a valid checksum (the checksum only catches accidents): giant
 * declared tensors (item 3), header flags and version fields (item 6) and shapes that overflow.
 */
class CraftedCheckpointTest {
    @TempDir
    Path dir;

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A small checkpoint holding one 1x1 tensor called "big", and the offset of its first dimension. */
    private byte[] withOneTinyTensor(Path f) throws Exception {
        new Checkpoint(Map.of(), "g", "x", List.of(), Map.of("big", Tensor.zeros(1, 1)), null, null).write(f);
        return Files.readAllBytes(f);
    }

    private static int indexOf(byte[] b, String s) {
        byte[] n = s.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= b.length; i++) {
            for (int k = 0; k < n.length; k++) if (b[i + k] != n[k]) continue outer;
            return i;
        }
        throw new AssertionError(s + " not found");
    }

    /** A 46340x46340 tensor declared in a file of a few hundred bytes ended in OutOfMemoryError with a stack trace. */
    @Test
    void aGiantDeclaredTensorIsRefusedBeforeAllocating() throws Exception {
        Path f = dir.resolve("crafted.ckpt");
        byte[] b = withOneTinyTensor(f);
        int dims = indexOf(b, "big") + 3 + 1; // name, then the rank byte
        ByteBuffer.wrap(b, dims, 8).putInt(46340).putInt(46340);
        Files.write(f, CheckpointFuzzTarget.seal(b));
        long before = allocatedByThisThread();
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(f));
        long allocated = allocatedByThisThread() - before;
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("tensor big"), e.getMessage());
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes to refuse a " + b.length + "-byte file");
    }

    @Test
    void unknownHeaderFlagsAreRefused() throws Exception {
        Path f = dir.resolve("flags.ckpt");
        byte[] b = withOneTinyTensor(f);
        b[15] |= 4;
        Files.write(f, CheckpointFuzzTarget.seal(b));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("flags"), e.getMessage());
    }

    /** The flags and version were outside the digest: a flipped version of 1 was decoded as version 1, with a misleading message. */
    @Test
    void aFlippedVersionIsCaughtAsCorruption() throws Exception {
        Path f = dir.resolve("v1.ckpt");
        byte[] b = withOneTinyTensor(f);
        b[11] = 1;
        Files.write(f, b);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("corrupted: SHA-256 of the header and payload"), e.getMessage());
    }

    /** Files written before the header was hashed (flags 0, digest of the payload alone) still read. */
    @Test
    void filesWithoutTheHeaderFlagStillRead() throws Exception {
        Path f = dir.resolve("legacy.ckpt");
        CheckpointTest.sample(CheckpointTest.model()).write(f);
        byte[] b = Files.readAllBytes(f);
        b[15] = 0;
        Files.write(f, CheckpointFuzzTarget.seal(b));
        assertEquals(3, Checkpoint.read(f).progress().epoch());
        b[11] = 1; // and a version field of 1 over a version-2 payload says the header may be at fault
        Files.write(f, CheckpointFuzzTarget.seal(b));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("decoded as format version 1"), e.getMessage());
    }

    /** An input shape of [1, 64, 67108865] overflowed to 64 values in `info`. */
    @Test
    void aShapeWhoseSizeOverflowsDoesNotRebuild() throws Exception {
        Path f = dir.resolve("shape.ckpt");
        NodeDef in = new NodeDef("x", "Input", Attrs.builder().put("shape", new int[] {1, 64, 67108865}).build(), List.of());
        new Checkpoint(Map.of(), "g", "x", List.of(in), Map.of(), null, null).write(f);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.readGraph(f));
        assertTrue(e.getMessage().contains("more values per sample than a tensor can hold"), e.getMessage());
    }
}
