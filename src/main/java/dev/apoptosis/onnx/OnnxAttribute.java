package dev.apoptosis.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX's {@code AttributeProto}: a named setting of a node (kernel_shape, epsilon, a Constant's
 * value ...), one of a float, an int, a string, a tensor, or lists of floats, ints or strings.
 * Graph-valued attributes (the bodies of If and Loop) are recorded only as present: no op the importer
 * accepts has one, and not decoding them bounds the reader's recursion.
 *
 * <p>Field numbers (ONNX IR): name 1, f 2, i 3, s 4, t 5, g 6, floats 7, ints 8, strings 9, tensors 10,
 * graphs 11, type 20. Type codes: FLOAT 1, INT 2, STRING 3, TENSOR 4, GRAPH 5, FLOATS 6, INTS 7, STRINGS 8.
 */
public record OnnxAttribute(String name, int type, float f, long i, byte[] s, OnnxTensor t, float[] floats, long[] ints,
                            List<String> strings) {
    public static final int FLOAT = 1, INT = 2, STRING = 3, TENSOR = 4, GRAPH = 5, FLOATS = 6, INTS = 7, STRINGS = 8;

    public static OnnxAttribute ofInt(String name, long v) {
        return new OnnxAttribute(name, INT, 0, v, null, null, null, null, null);
    }

    public static OnnxAttribute ofInts(String name, long... v) {
        return new OnnxAttribute(name, INTS, 0, 0, null, null, null, v.clone(), null);
    }

    public static OnnxAttribute ofFloat(String name, float v) {
        return new OnnxAttribute(name, FLOAT, v, 0, null, null, null, null, null);
    }

    public static OnnxAttribute ofString(String name, String v) {
        return new OnnxAttribute(name, STRING, 0, 0, v.getBytes(StandardCharsets.UTF_8), null, null, null, null);
    }

    public static OnnxAttribute ofTensor(String name, OnnxTensor v) {
        return new OnnxAttribute(name, TENSOR, 0, 0, null, v, null, null, null);
    }

    /** The string value as UTF-8 text. */
    public String text() {
        return s == null ? "" : new String(s, StandardCharsets.UTF_8);
    }

    public static String typeName(int t) {
        return switch (t) {
            case FLOAT -> "float";
            case INT -> "int";
            case STRING -> "string";
            case TENSOR -> "tensor";
            case GRAPH -> "graph";
            case FLOATS -> "floats";
            case INTS -> "ints";
            case STRINGS -> "strings";
            default -> "type " + t;
        };
    }

    static OnnxAttribute read(ProtoReader r) {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        byte[] s = null;
        OnnxTensor t = null;
        ProtoReader.FloatList floats = new ProtoReader.FloatList();
        ProtoReader.LongList ints = new ProtoReader.LongList();
        List<String> strings = new ArrayList<>();
        boolean graph = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> f = r.float32();
                case 3 -> i = r.int64();
                case 4 -> s = r.bytes();
                case 5 -> t = r.message("t", OnnxTensor::read);
                case 6, 11 -> {
                    graph = true;
                    r.skip();
                }
                case 7 -> r.floats(floats);
                case 8 -> r.int64s(ints);
                case 9 -> strings.add(r.string());
                case 20 -> type = r.int32();
                default -> r.skip();
            }
        }
        if (type == 0) {
            // IR versions before 0.0.2 had no type field: infer it from the field present.
            type = graph ? GRAPH : t != null ? TENSOR : s != null ? STRING : floats.size() > 0 ? FLOATS : ints.size() > 0 ? INTS
                    : !strings.isEmpty() ? STRINGS : i != 0 ? INT : FLOAT;
        }
        return new OnnxAttribute(name, type, f, i, s, t, floats.toArray(), ints.toArray(), List.copyOf(strings));
    }

    void write(ProtoWriter w) {
        w.string(1, name).int64(20, type);
        switch (type) {
            case FLOAT -> w.float32(2, f);
            case INT -> w.int64(3, i);
            case STRING -> w.bytes(4, s);
            case TENSOR -> w.message(5, t::write);
            case FLOATS -> w.floats(7, floats);
            case INTS -> w.int64s(8, ints);
            default -> throw new IllegalStateException("cannot write attribute '" + name + "' of " + typeName(type));
        }
    }
}
