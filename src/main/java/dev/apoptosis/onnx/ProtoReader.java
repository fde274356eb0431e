package dev.apoptosis.onnx;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Reads the fields of one protocol-buffer message (a length-delimited region of the file) in the
 * order they come, on top of protobuf-java's {@link CodedInputStream}.
 *
 * <p>Hostile input is the normal case here: every length is checked against the bytes left in the
 * enclosing message <em>before</em> anything is allocated, so a 100-byte file that declares a
 * 2 GB tensor fails at once instead of allocating; a known field with the wrong wire type is an error
 * naming the message and field (a decoder that skipped it would import a different model); unknown
 * fields are skipped, as the protobuf rules say. Every problem is a {@link ProtoException} with the
 * message name, the field number and the byte offset.
 */
final class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LENGTH = 2, FIXED32 = 5;

    private final CodedInputStream in;
    private final String message;
    private int field, wire;

    private ProtoReader(CodedInputStream in, String message) {
        this.in = in;
        this.message = message;
    }

    /** A reader of the whole of {@code bytes} as one message called {@code message}. */
    static <T> T parse(byte[] bytes, String message, Function<ProtoReader, T> parser) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setRecursionLimit(64);
        ProtoReader r = new ProtoReader(in, message);
        r.push(bytes.length);
        return parser.apply(r);
    }

    /** Advances to the next field; false at the end of this message. */
    boolean next() {
        try {
            if (in.isAtEnd()) return false;
            int tag = in.readTag();
            field = tag >>> 3;
            wire = tag & 7;
            if (field == 0) throw error("field number 0");
            return true;
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    int field() {
        return field;
    }

    ProtoException error(String problem) {
        return new ProtoException(message + (field > 0 ? " field " + field : "") + " at byte " + in.getTotalBytesRead() + ": " + problem);
    }

    private void expect(int wireType) {
        if (wire != wireType) {
            throw error("wire type " + wire + " where the ONNX definition has " + wireName(wireType) + " (wrong field type)");
        }
    }

    private static String wireName(int w) {
        return switch (w) {
            case VARINT -> "a varint";
            case FIXED64 -> "a 64-bit value";
            case LENGTH -> "a length-delimited value";
            case FIXED32 -> "a 32-bit value";
            default -> "wire type " + w;
        };
    }

    long int64() {
        expect(VARINT);
        try {
            return in.readInt64();
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    /** An int32 field (enums, data types): a value outside int range is an error, not a silent wrap. */
    int int32() {
        long v = int64();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error("value " + v + " does not fit an int32");
        return (int) v;
    }

    float float32() {
        expect(FIXED32);
        try {
            return in.readFloat();
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    /** The length of a length-delimited field, checked against the bytes left in this message. */
    private int length() {
        expect(LENGTH);
        try {
            int len = in.readRawVarint32();
            if (len < 0 || len > in.getBytesUntilLimit()) {
                throw error("declares " + (len & 0xffffffffL) + " bytes but only " + in.getBytesUntilLimit() + " remain (truncated or corrupt)");
            }
            return len;
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    byte[] bytes() {
        int len = length();
        try {
            return in.readRawBytes(len);
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** A nested message, parsed by {@code parser} within its declared length. */
    <T> T message(String name, Function<ProtoReader, T> parser) {
        int len = length();
        int old = push(len);
        T t = parser.apply(new ProtoReader(in, message + "." + name));
        if (!isAtEndOfLimit()) throw error(name + " did not end at its declared length");
        in.popLimit(old);
        return t;
    }

    /** One or more values of a repeated int64 field, packed (one length-delimited run) or not. */
    void int64s(LongList out) {
        if (wire != LENGTH) {
            out.add(int64());
            return;
        }
        int len = length();
        int old = push(len);
        try {
            while (!isAtEndOfLimit()) out.add(in.readInt64());
        } catch (IOException e) {
            throw error(e.getMessage());
        }
        in.popLimit(old);
    }

    /** One or more values of a repeated float field, packed or not. */
    void floats(FloatList out) {
        if (wire != LENGTH) {
            out.add(float32());
            return;
        }
        int len = length();
        if (len % 4 != 0) throw error("packed floats of " + len + " bytes, not a multiple of 4");
        try {
            for (int i = 0; i < len / 4; i++) out.add(in.readFloat());
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    /** One or more values of a repeated double field, packed or not. */
    void doubles(FloatList out) {
        if (wire != LENGTH) {
            expect(FIXED64);
            try {
                out.add((float) in.readDouble());
            } catch (IOException e) {
                throw error(e.getMessage());
            }
            return;
        }
        int len = length();
        if (len % 8 != 0) throw error("packed doubles of " + len + " bytes, not a multiple of 8");
        try {
            for (int i = 0; i < len / 8; i++) out.add((float) in.readDouble());
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    private int push(int len) {
        try {
            return in.pushLimit(len);
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    private boolean isAtEndOfLimit() {
        return in.getBytesUntilLimit() == 0;
    }

    /** Skips a field this code does not read (the protobuf rule for unknown fields). */
    void skip() {
        try {
            if (wire == LENGTH) {
                in.skipRawBytes(length());
            } else if (!in.skipField((field << 3) | wire)) {
                throw error("end-group tag without a group");
            }
        } catch (IOException e) {
            throw error(e.getMessage());
        }
    }

    /** A growable list of longs whose growth is bounded by the bytes read. */
    static final class LongList {
        private long[] a = new long[8];
        private int n;

        void add(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int size() {
            return n;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** A growable list of floats whose growth is bounded by the bytes read. */
    static final class FloatList {
        private float[] a = new float[8];
        private int n;

        void add(float v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int size() {
            return n;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
