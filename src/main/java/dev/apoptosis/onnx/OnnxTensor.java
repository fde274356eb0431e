package dev.apoptosis.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * ONNX's {@code TensorProto}: a named constant (an initializer, a Constant node's value, a tensor
 * attribute) with its element type, dimensions and data, the data either in {@code raw_data}
 * (little-endian bytes) or in the typed repeated field of its type.
 *
 * <p>Field numbers (ONNX IR): dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8,
 * raw_data 9, double_data 10, external_data 13, data_location 14.
 *
 * <p>{@link #values} decodes the numbers after checking that the dimensions' product (with overflow
 * checked) is exactly the number of values the data holds; only then is anything allocated.
 */
public record OnnxTensor(String name, int dataType, long[] dims, byte[] raw, float[] floatData, long[] intData,
                         boolean external) {
    public static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7, BOOL = 9, DOUBLE = 11;

    /** A float32 tensor stored as raw data. */
    public static OnnxTensor ofFloats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new OnnxTensor(name, FLOAT, dims.clone(), b.array(), null, null, false);
    }

    /** An int64 tensor stored as raw data. */
    public static OnnxTensor ofLongs(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new OnnxTensor(name, INT64, dims.clone(), b.array(), null, null, false);
    }

    /** The element type's name, for messages. */
    public static String typeName(int t) {
        return switch (t) {
            case FLOAT -> "float";
            case UINT8 -> "uint8";
            case INT8 -> "int8";
            case 4 -> "uint16";
            case 5 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case 8 -> "string";
            case BOOL -> "bool";
            case 10 -> "float16";
            case DOUBLE -> "double";
            case 16 -> "bfloat16";
            default -> "type " + t;
        };
    }

    private static int elementBytes(int t) {
        return switch (t) {
            case FLOAT, INT32 -> 4;
            case INT64, DOUBLE -> 8;
            case UINT8, INT8, BOOL -> 1;
            default -> -1;
        };
    }

    /** The number of elements the dimensions declare; an error if a dimension is negative or the product overflows. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "' has negative dimension " + d + " in " + Arrays.toString(dims));
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "' has absurd dimensions " + Arrays.toString(dims));
            }
        }
        return n;
    }

    /**
     * The values as doubles (exact for float32, int32 and for int64 up to 2^53), row-major. Errors
     * (IllegalArgumentException naming the tensor): an unsupported element type, external data, or
     * data whose size does not match the dimensions.
     */
    public double[] values() {
        String what = "tensor '" + name + "'";
        if (external) throw new IllegalArgumentException(what + " keeps its data in an external file, which is not supported");
        int size = elementBytes(dataType);
        if (size < 0) throw new IllegalArgumentException(what + " has element type " + typeName(dataType) + ", not supported");
        long n = elementCount();
        long have;
        if (raw != null) {
            if (raw.length % size != 0 || raw.length / size != n) {
                throw new IllegalArgumentException(what + " declares " + Arrays.toString(dims) + " (" + n + " values) but holds "
                        + raw.length + " bytes of " + typeName(dataType));
            }
            have = n;
        } else {
            have = dataType == FLOAT || dataType == DOUBLE ? (floatData == null ? 0 : floatData.length) : (intData == null ? 0 : intData.length);
            if (have != n) {
                throw new IllegalArgumentException(what + " declares " + Arrays.toString(dims) + " (" + n + " values) but holds " + have);
            }
        }
        double[] v = new double[(int) n];
        if (raw != null) {
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                v[i] = switch (dataType) {
                    case FLOAT -> b.getFloat();
                    case DOUBLE -> b.getDouble();
                    case INT32 -> b.getInt();
                    case INT64 -> b.getLong();
                    case INT8 -> b.get();
                    default -> b.get() & 0xff;
                };
            }
        } else if (dataType == FLOAT || dataType == DOUBLE) {
            for (int i = 0; i < n; i++) v[i] = floatData[i];
        } else {
            for (int i = 0; i < n; i++) v[i] = intData[i];
        }
        return v;
    }

    static OnnxTensor read(ProtoReader r) {
        String name = "";
        int type = 0;
        ProtoReader.LongList dims = new ProtoReader.LongList(), ints = new ProtoReader.LongList();
        ProtoReader.FloatList floats = new ProtoReader.FloatList();
        byte[] raw = null;
        boolean external = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.int64s(dims);
                case 2 -> type = r.int32();
                case 4 -> r.floats(floats);
                case 5, 7 -> r.int64s(ints);
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                case 10 -> r.doubles(floats);
                case 13 -> {
                    external = true;
                    r.skip();
                }
                case 14 -> external |= r.int32() == 1;
                default -> r.skip();
            }
        }
        return new OnnxTensor(name, type, dims.toArray(), raw, floats.size() > 0 ? floats.toArray() : null,
                ints.size() > 0 ? ints.toArray() : null, external);
    }

    void write(ProtoWriter w) {
        w.int64s(1, dims).int64(2, dataType).string(8, name);
        if (raw != null) w.bytes(9, raw);
        if (floatData != null) w.floats(4, floatData);
        if (intData != null) w.int64s(dataType == INT64 ? 7 : 5, intData);
    }
}
