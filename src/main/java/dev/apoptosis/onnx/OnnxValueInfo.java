package dev.apoptosis.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * ONNX's {@code ValueInfoProto} for a tensor value (a graph input or output): its name, element type
 * and shape, each dimension either a number or a symbolic name such as "batch". {@code dims} is null
 * when no shape is given; {@code elemType} is 0 when the value is not a tensor.
 *
 * <p>Field numbers (ONNX IR): ValueInfoProto name 1, type 2; TypeProto tensor_type 1; TypeProto.Tensor
 * elem_type 1, shape 2; TensorShapeProto dim 1; Dimension dim_value 1, dim_param 2.
 */
public record OnnxValueInfo(String name, int elemType, List<Dim> dims) {
    /** One dimension: {@code param} non-null for a symbolic one, else {@code value} (-1 if neither was given). */
    public record Dim(long value, String param) {
        public static Dim of(long v) {
            return new Dim(v, null);
        }

        public static Dim symbolic(String p) {
            return new Dim(-1, p);
        }

        @Override
        public String toString() {
            return param != null ? param : value >= 0 ? Long.toString(value) : "?";
        }
    }

    static OnnxValueInfo read(ProtoReader r) {
        String name = "";
        int[] type = {0};
        List<List<Dim>> shape = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> r.message("type", t -> {
                    while (t.next()) {
                        if (t.field() == 1) {
                            t.message("tensor_type", tt -> {
                                while (tt.next()) {
                                    switch (tt.field()) {
                                        case 1 -> type[0] = tt.int32();
                                        case 2 -> shape.add(tt.message("shape", OnnxValueInfo::readShape));
                                        default -> tt.skip();
                                    }
                                }
                                return null;
                            });
                        } else {
                            t.skip();
                        }
                    }
                    return null;
                });
                default -> r.skip();
            }
        }
        return new OnnxValueInfo(name, type[0], shape.isEmpty() ? null : shape.get(shape.size() - 1));
    }

    private static List<Dim> readShape(ProtoReader r) {
        List<Dim> dims = new ArrayList<>();
        while (r.next()) {
            if (r.field() != 1) {
                r.skip();
                continue;
            }
            dims.add(r.message("dim", d -> {
                long v = -1;
                String p = null;
                while (d.next()) {
                    switch (d.field()) {
                        case 1 -> v = d.int64();
                        case 2 -> p = d.string();
                        default -> d.skip();
                    }
                }
                return new Dim(v, p);
            }));
        }
        return dims;
    }

    void write(ProtoWriter w) {
        w.string(1, name);
        w.message(2, t -> t.message(1, tt -> {
            tt.int64(1, elemType);
            if (dims != null) {
                tt.message(2, s -> {
                    for (Dim d : dims) s.message(1, dw -> {
                        if (d.param() != null) dw.string(2, d.param());
                        else dw.int64(1, d.value());
                    });
                });
            }
        }));
    }
}
