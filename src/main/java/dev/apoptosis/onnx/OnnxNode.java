package dev.apoptosis.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * ONNX's {@code NodeProto}: one operator application, reading and writing values by name. An empty
 * input name means an omitted optional input.
 *
 * <p>Field numbers (ONNX IR): input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       List<OnnxAttribute> attributes) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    /** The attribute called {@code attr}, or null. */
    public OnnxAttribute attribute(String attr) {
        for (OnnxAttribute a : attributes) if (a.name().equals(attr)) return a;
        return null;
    }

    /** "'name' (OpType)", or "#index (OpType)" for an unnamed node: how messages refer to a node. */
    public String describe(int index) {
        return (name.isEmpty() ? "#" + index : "'" + name + "'") + " (" + opType + ")";
    }

    static OnnxNode read(ProtoReader r) {
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        List<OnnxAttribute> attrs = new ArrayList<>();
        String name = "", op = "", domain = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> in.add(r.string());
                case 2 -> out.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> attrs.add(r.message("attribute", OnnxAttribute::read));
                case 7 -> domain = r.string();
                default -> r.skip();
            }
        }
        return new OnnxNode(name, op, domain, in, out, attrs);
    }

    void write(ProtoWriter w) {
        for (String s : inputs) w.string(1, s);
        for (String s : outputs) w.string(2, s);
        w.string(3, name).string(4, opType);
        if (!domain.isEmpty()) w.string(7, domain);
        for (OnnxAttribute a : attributes) w.message(5, a::write);
    }
}
