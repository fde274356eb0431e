package dev.apoptosis.checkpoint;

import dev.apoptosis.graph.Attrs;
import dev.apoptosis.graph.NodeDef;
import dev.apoptosis.io.DeclaredSize;
import dev.apoptosis.io.InputFiles;
import dev.apoptosis.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint file format, version 3 (this code also reads versions 1 and 2). All numbers are big-endian.
 *
 * <pre>
 * header   16 bytes  "APOPCKPT" magic, u32 format version, u32 flags: bit 0 set = the SHA-256 below
 *                    covers these 16 header bytes too (written since the hardening; older files
 *                    have 0 and a digest of the payload alone); any other bit is refused
 * payload  n bytes   sections, each a tag string then its body, in this order:
 *            "meta"      u32 count, (key, value) strings
 *            "graph"     graph name, output name, u32 nodes, per node: name, kind,
 *                        u32 inputs + names, u32 attrs + (name, u8 type, value)
 *                        types: 1 int (i32), 2 int[] (u32 n, i32...), 3 double (f64 bits),
 *                               4 boolean (u8), 5 string
 *            "state"     tensors: u32 count, per tensor: name, u8 rank, i32 dims, f32 raw bits
 *            "masks"     (version 3) tensors as in "state": 0/1 masks of unstructured pruning
 *            "optimizer" u8 present; kind, i64 step, tensors
 *            "progress"  u8 present; i32 epoch, i32 batch, u32 count, (key, value) strings,
 *                        then (version 2 only) the epoch so far: i64 samples, f64 loss sum, i64 top-1,
 *                        i64 top-5, f64 seconds; and the history: u32 count, per finished epoch:
 *                        i32 epoch, f64 train loss, train top-1, test loss, test top-1, test top-5, seconds
 *            "end"
 * trailer  48 bytes  u64 payload length n, SHA-256 of the payload (32 bytes), "CKPT-END" magic
 * </pre>
 * A string is a u32 byte count and UTF-8 bytes.
 *
 * <p>Reading checks, before decoding anything: that the file is a regular file (a FIFO would block),
 * the size, the magic, the version, the flags, the end magic, that the recorded payload length
 * matches the file size (truncation), and the SHA-256 (corruption). Only then is the payload
 * decoded, and it must end exactly at the trailer. The checksum only catches accidents, so every
 * count, string length and tensor shape in the payload is also checked against the payload bytes
 * that remain before anything is allocated for it ({@link DeclaredSize}).
 */
public final class CheckpointFormat {
    static final byte[] MAGIC = "APOPCKPT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "CKPT-END".getBytes(StandardCharsets.US_ASCII);
    /** The version this code writes and the newest it reads. */
    public static final int VERSION = 3;
    static final int HEADER = 16;
    static final int TRAILER = 8 + 32 + 8;
    /** Flags bit 0: the digest covers the header, so a flipped version or flag is caught as corruption. */
    static final int FLAG_HEADER_HASHED = 1;
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_COUNT = 1 << 24;

    private CheckpointFormat() {}

    // ---------------------------------------------------------------- writing

    static void write(Path file, Checkpoint c) throws IOException {
        AtomicFile.write(file, os -> {
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            h.put(MAGIC).putInt(VERSION).putInt(FLAG_HEADER_HASHED);
            os.write(h.array());
            MessageDigest sha = sha256();
            sha.update(h.array());
            CountingStream counter = new CountingStream(os);
            DataOutputStream d = new DataOutputStream(new DigestOutputStream(counter, sha));
            writePayload(d, c);
            d.flush();
            ByteBuffer t = ByteBuffer.allocate(TRAILER);
            t.putLong(counter.count).put(sha.digest()).put(END_MAGIC);
            os.write(t.array());
        });
    }

    private static void writePayload(DataOutputStream d, Checkpoint c) throws IOException {
        writeString(d, "meta");
        writeStrings(d, c.metadata());
        writeString(d, "graph");
        writeString(d, c.graphName());
        writeString(d, c.outputName());
        d.writeInt(c.nodes().size());
        for (NodeDef n : c.nodes()) {
            writeString(d, n.name());
            writeString(d, n.kind());
            d.writeInt(n.inputs().size());
            for (String in : n.inputs()) writeString(d, in);
            Map<String, Object> attrs = n.attrs().asMap();
            d.writeInt(attrs.size());
            for (Map.Entry<String, Object> e : attrs.entrySet()) {
                writeString(d, e.getKey());
                writeAttr(d, n.name() + "." + e.getKey(), e.getValue());
            }
        }
        writeString(d, "state");
        writeTensors(d, c.state());
        writeString(d, "masks");
        writeTensors(d, c.masks());
        writeString(d, "optimizer");
        d.writeBoolean(c.optimizer() != null);
        if (c.optimizer() != null) {
            writeString(d, c.optimizer().kind());
            d.writeLong(c.optimizer().step());
            writeTensors(d, c.optimizer().tensors());
        }
        writeString(d, "progress");
        d.writeBoolean(c.progress() != null);
        if (c.progress() != null) {
            d.writeInt(c.progress().epoch());
            d.writeInt(c.progress().batch());
            writeStrings(d, c.progress().config());
            EpochSoFar cur = c.progress().current();
            d.writeLong(cur.samples());
            d.writeDouble(cur.lossSum());
            d.writeLong(cur.top1());
            d.writeLong(cur.top5());
            d.writeDouble(cur.seconds());
            d.writeInt(c.progress().history().size());
            for (EpochRecord r : c.progress().history()) {
                d.writeInt(r.epoch());
                d.writeDouble(r.trainLoss());
                d.writeDouble(r.trainTop1());
                d.writeDouble(r.testLoss());
                d.writeDouble(r.testTop1());
                d.writeDouble(r.testTop5());
                d.writeDouble(r.seconds());
            }
        }
        writeString(d, "end");
    }

    private static void writeAttr(DataOutputStream d, String where, Object v) throws IOException {
        if (v instanceof Integer i) {
            d.writeByte(1);
            d.writeInt(i);
        } else if (v instanceof int[] a) {
            d.writeByte(2);
            d.writeInt(a.length);
            for (int x : a) d.writeInt(x);
        } else if (v instanceof Double x) {
            d.writeByte(3);
            d.writeLong(Double.doubleToRawLongBits(x));
        } else if (v instanceof Boolean b) {
            d.writeByte(4);
            d.writeBoolean(b);
        } else if (v instanceof String s) {
            d.writeByte(5);
            writeString(d, s);
        } else {
            throw new IllegalArgumentException("checkpoint: attribute " + where + " has unsupported type " + v.getClass().getName());
        }
    }

    private static void writeStrings(DataOutputStream d, Map<String, String> m) throws IOException {
        d.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            writeString(d, e.getKey());
            writeString(d, e.getValue());
        }
    }

    private static void writeTensors(DataOutputStream d, Map<String, Tensor> ts) throws IOException {
        d.writeInt(ts.size());
        byte[] buf = new byte[1 << 16];
        for (Map.Entry<String, Tensor> e : ts.entrySet()) {
            Tensor t = e.getValue();
            writeString(d, e.getKey());
            if (t.rank() > 255) throw new IllegalArgumentException("checkpoint: tensor " + e.getKey() + " has rank " + t.rank());
            d.writeByte(t.rank());
            for (int s : t.shape()) d.writeInt(s);
            float[] data = t.data();
            int off = t.offset(), n = t.size();
            for (int start = 0; start < n; start += buf.length / 4) {
                int len = Math.min(buf.length / 4, n - start);
                for (int k = 0; k < len; k++) {
                    int bits = Float.floatToRawIntBits(data[off + start + k]);
                    buf[4 * k] = (byte) (bits >>> 24);
                    buf[4 * k + 1] = (byte) (bits >>> 16);
                    buf[4 * k + 2] = (byte) (bits >>> 8);
                    buf[4 * k + 3] = (byte) bits;
                }
                d.write(buf, 0, 4 * len);
            }
        }
    }

    private static void writeString(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING) throw new IllegalArgumentException("checkpoint: string of " + b.length + " bytes is too long");
        d.writeInt(b.length);
        d.write(b);
    }

    // ---------------------------------------------------------------- reading

    static Checkpoint read(Path file) throws CheckpointException {
        InputFiles.requireRegular(file, problem -> new CheckpointException(file, problem));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + TRAILER) {
                throw new CheckpointException(file, "truncated or not a checkpoint: " + size + " bytes, a checkpoint has at least "
                        + (HEADER + TRAILER));
            }
            ByteBuffer h = readFully(ch, 0, HEADER, file);
            byte[] magic = new byte[8];
            h.get(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new CheckpointException(file, "not an apoptosis checkpoint (bad magic number)");
            int version = h.getInt();
            if (version < 1 || version > VERSION) {
                throw new CheckpointException(file, "format version " + version + " is not supported (this build reads 1.." + VERSION + ")"
                        + (version > VERSION && version < 1000 ? ": written by a newer build" : ": corrupted header"));
            }
            int flags = h.getInt();
            if ((flags & ~FLAG_HEADER_HASHED) != 0) {
                throw new CheckpointException(file, String.format("header flags 0x%08x hold bits this build does not know"
                        + " (it knows 0x%08x): corrupted, or written by a newer build", flags, FLAG_HEADER_HASHED));
            }
            ByteBuffer t = readFully(ch, size - TRAILER, TRAILER, file);
            long payload = t.getLong();
            byte[] digest = new byte[32];
            t.get(digest);
            byte[] end = new byte[8];
            t.get(end);
            if (!Arrays.equals(end, END_MAGIC)) {
                throw new CheckpointException(file, "truncated or corrupted: the end marker is missing (file has " + size + " bytes)");
            }
            if (payload != size - HEADER - TRAILER) {
                throw new CheckpointException(file, "truncated or corrupted: the trailer records a payload of " + payload
                        + " bytes but the file holds " + (size - HEADER - TRAILER));
            }
            byte[] actual = hashPayload(ch, payload, (flags & FLAG_HEADER_HASHED) != 0 ? h.array() : null);
            if (!MessageDigest.isEqual(actual, digest)) {
                throw new CheckpointException(file, "corrupted: SHA-256 of the " + ((flags & FLAG_HEADER_HASHED) != 0 ? "header and " : "")
                        + "payload is " + HexFormat.of().formatHex(actual)
                        + ", the file records " + HexFormat.of().formatHex(digest));
            }
            ch.position(HEADER);
            CountingInput counted = new CountingInput(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16), payload);
            DataInputStream d = new Payload(counted);
            Checkpoint c;
            // A version-1 header over a newer payload (only possible in a file whose digest leaves the
            // header out) decodes wrongly; say that the header may be the problem, not only the payload.
            String asVersion = version < VERSION && (flags & FLAG_HEADER_HASHED) == 0
                    ? " (decoded as format version " + version + ", as the header says; if the file was written as a newer version,"
                            + " its header is corrupted)" : "";
            try {
                c = readPayload(d, version);
            } catch (EOFException e) {
                throw new CheckpointException(file, "malformed payload: ends early" + asVersion, e);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "malformed payload: " + e.getMessage() + asVersion, e);
            }
            if (counted.count != payload) {
                throw new CheckpointException(file, "malformed payload: " + (payload - counted.count) + " unread bytes after the end section"
                        + asVersion);
            }
            return c;
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file");
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long pos, int n, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new CheckpointException(file, "truncated while reading");
        }
        return b.flip();
    }

    private static byte[] hashPayload(FileChannel ch, long payload, byte[] header) throws IOException {
        MessageDigest sha = sha256();
        if (header != null) sha.update(header);
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        long pos = HEADER, end = HEADER + payload;
        while (pos < end) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), end - pos));
            int r = ch.read(b, pos);
            if (r < 0) throw new EOFException();
            b.flip();
            sha.update(b);
            pos += r;
        }
        return sha.digest();
    }

    private static Checkpoint readPayload(DataInputStream d, int version) throws IOException {
        expect(d, "meta");
        Map<String, String> meta = readStrings(d);
        expect(d, "graph");
        String graphName = readString(d);
        String output = readString(d);
        int nodes = readCount(d, "nodes", 16);
        List<NodeDef> defs = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            String name = readString(d);
            String kind = readString(d);
            int nIn = readCount(d, "inputs", 4);
            List<String> ins = new ArrayList<>(nIn);
            for (int k = 0; k < nIn; k++) ins.add(readString(d));
            int nAttr = readCount(d, "attributes", 6);
            Attrs.Builder ab = Attrs.builder();
            for (int k = 0; k < nAttr; k++) {
                String an = readString(d);
                ab.putObject(an, readAttr(d, name + "." + an));
            }
            defs.add(new NodeDef(name, kind, ab.build(), ins));
        }
        expect(d, "state");
        Map<String, Tensor> state = readTensors(d);
        Map<String, Tensor> masks = Map.of();
        if (version >= 3) {
            expect(d, "masks");
            masks = readTensors(d);
        }
        expect(d, "optimizer");
        OptimizerState opt = null;
        if (d.readBoolean()) {
            String kind = readString(d);
            long step = d.readLong();
            opt = new OptimizerState(kind, step, readTensors(d));
        }
        expect(d, "progress");
        TrainingProgress progress = null;
        if (d.readBoolean()) {
            int epoch = d.readInt();
            int batch = d.readInt();
            Map<String, String> config = readStrings(d);
            if (version >= 2) {
                EpochSoFar current = new EpochSoFar(d.readLong(), d.readDouble(), d.readLong(), d.readLong(), d.readDouble());
                int n = readCount(d, "history entries", 52);
                List<EpochRecord> history = new ArrayList<>(Math.min(n, 1 << 16));
                for (int i = 0; i < n; i++) {
                    history.add(new EpochRecord(d.readInt(), d.readDouble(), d.readDouble(), d.readDouble(), d.readDouble(),
                            d.readDouble(), d.readDouble()));
                }
                progress = new TrainingProgress(epoch, batch, config, current, history);
            } else {
                progress = new TrainingProgress(epoch, batch, config);
            }
        }
        expect(d, "end");
        return new Checkpoint(meta, graphName, output, defs, state, opt, progress, masks);
    }

    private static Object readAttr(DataInputStream d, String where) throws IOException {
        int type = d.readUnsignedByte();
        return switch (type) {
            case 1 -> d.readInt();
            case 2 -> {
                int n = readCount(d, "int[] attribute", 4);
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = d.readInt();
                yield a;
            }
            case 3 -> Double.longBitsToDouble(d.readLong());
            case 4 -> d.readBoolean();
            case 5 -> readString(d);
            default -> throw new IllegalArgumentException("attribute " + where + " has unknown type tag " + type);
        };
    }

    private static Map<String, Tensor> readTensors(DataInputStream d) throws IOException {
        int n = readCount(d, "tensors", 5);
        Map<String, Tensor> m = new LinkedHashMap<>();
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < n; i++) {
            String name = readString(d);
            int rank = d.readUnsignedByte();
            int[] shape = new int[rank];
            for (int k = 0; k < rank; k++) shape[k] = d.readInt();
            // Checked against the payload's remaining bytes before allocating: a valid checksum proves no honesty.
            long size = DeclaredSize.product(shape, "tensor " + name, IllegalArgumentException::new);
            float[] data = new float[DeclaredSize.arrayLength(size, 4, remaining(d), "tensor " + name, IllegalArgumentException::new)];
            for (int start = 0; start < data.length; start += buf.length / 4) {
                int len = Math.min(buf.length / 4, data.length - start);
                d.readFully(buf, 0, 4 * len);
                for (int k = 0; k < len; k++) {
                    int bits = ((buf[4 * k] & 0xff) << 24) | ((buf[4 * k + 1] & 0xff) << 16)
                            | ((buf[4 * k + 2] & 0xff) << 8) | (buf[4 * k + 3] & 0xff);
                    data[start + k] = Float.intBitsToFloat(bits);
                }
            }
            if (m.put(name, Tensor.wrap(data, shape)) != null) throw new IllegalArgumentException("tensor " + name + " appears twice");
        }
        return m;
    }

    private static Map<String, String> readStrings(DataInputStream d) throws IOException {
        int n = readCount(d, "entries", 8);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put(readString(d), readString(d));
        return m;
    }

    private static void expect(DataInputStream d, String tag) throws IOException {
        String s = readString(d);
        if (!s.equals(tag)) throw new IllegalArgumentException("expected section '" + tag + "', found '" + s + "'");
    }

    /** A count of entries of at least {@code minBytes} each, which the payload's remaining bytes must be able to hold. */
    private static int readCount(DataInputStream d, String what, int minBytes) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > MAX_COUNT) throw new IllegalArgumentException("implausible number of " + what + ": " + n);
        DeclaredSize.bytes(n, minBytes, remaining(d), what, IllegalArgumentException::new);
        return n;
    }

    /** Payload bytes not yet read (unbounded for a stream that is not a {@link Payload}). */
    private static long remaining(DataInputStream d) {
        return d instanceof Payload p ? p.remaining() : Long.MAX_VALUE;
    }

    private static String readString(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > MAX_STRING) throw new IllegalArgumentException("implausible string length " + n);
        byte[] b = new byte[DeclaredSize.arrayLength(n, 1, remaining(d), "string", IllegalArgumentException::new)];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Counts bytes written through it. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the enclosing writer owns the underlying stream
        }
    }

    /** The payload as read: knows how many of its bytes remain, for the size checks. */
    private static final class Payload extends DataInputStream {
        private final CountingInput counted;

        Payload(CountingInput counted) {
            super(counted);
            this.counted = counted;
        }

        long remaining() {
            return counted.limit - counted.count;
        }
    }

    /** Reads at most {@code limit} bytes (the payload) and counts them. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        private final long limit;
        long count;

        CountingInput(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            if (count >= limit) return -1;
            int b = in.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= limit) return -1;
            int r = in.read(b, off, (int) Math.min(len, limit - count));
            if (r > 0) count += r;
            return r;
        }
    }

}
