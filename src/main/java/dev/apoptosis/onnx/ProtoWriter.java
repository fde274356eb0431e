package dev.apoptosis.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Writes one protocol-buffer message through protobuf-java's {@link CodedOutputStream}. A nested
 * message is written to its own buffer first, since its length comes before it; repeated numbers
 * are written packed (proto3's default, which ONNX readers accept). Fields equal to their default
 * are written all the same when called: callers skip what they do not want to write.
 */
final class ProtoWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 1 << 14);

    /** The bytes of a message that {@code body} writes. */
    static byte[] serialize(Consumer<ProtoWriter> body) {
        ProtoWriter w = new ProtoWriter();
        body.accept(w);
        return w.toBytes();
    }

    byte[] toBytes() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    ProtoWriter int64(int field, long v) {
        try {
            out.writeInt64(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoWriter float32(int field, float v) {
        try {
            out.writeFloat(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoWriter bytes(int field, byte[] v) {
        try {
            out.writeByteArray(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoWriter string(int field, String v) {
        return bytes(field, v.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int field, Consumer<ProtoWriter> body) {
        return bytes(field, serialize(body));
    }

    ProtoWriter int64s(int field, long[] vs) {
        if (vs.length == 0) return this;
        try {
            int size = 0;
            for (long v : vs) size += CodedOutputStream.computeInt64SizeNoTag(v);
            out.writeTag(field, ProtoReader.LENGTH);
            out.writeUInt32NoTag(size);
            for (long v : vs) out.writeInt64NoTag(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoWriter floats(int field, float[] vs) {
        if (vs.length == 0) return this;
        try {
            out.writeTag(field, ProtoReader.LENGTH);
            out.writeUInt32NoTag(vs.length * 4);
            for (float v : vs) out.writeFloatNoTag(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
