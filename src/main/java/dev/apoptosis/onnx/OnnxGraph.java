package dev.apoptosis.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * ONNX's {@code GraphProto}: nodes (in topological order, as the ONNX IR requires), initializers
 * (named constants: weights), and the graph's inputs and outputs. An initializer may also be listed
 * among the inputs (older exporters do this; the initializer is then the input's default value).
 *
 * <p>Field numbers (ONNX IR): node 1, name 2, initializer 5, input 11, output 12.
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<OnnxValueInfo> inputs,
                        List<OnnxValueInfo> outputs) {
    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    static OnnxGraph read(ProtoReader r) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> inits = new ArrayList<>();
        List<OnnxValueInfo> in = new ArrayList<>(), out = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> nodes.add(r.message("node", OnnxNode::read));
                case 2 -> name = r.string();
                case 5 -> inits.add(r.message("initializer", OnnxTensor::read));
                case 11 -> in.add(r.message("input", OnnxValueInfo::read));
                case 12 -> out.add(r.message("output", OnnxValueInfo::read));
                default -> r.skip();
            }
        }
        return new OnnxGraph(name, nodes, inits, in, out);
    }

    void write(ProtoWriter w) {
        for (OnnxNode n : nodes) w.message(1, n::write);
        w.string(2, name);
        for (OnnxTensor t : initializers) w.message(5, t::write);
        for (OnnxValueInfo v : inputs) w.message(11, v::write);
        for (OnnxValueInfo v : outputs) w.message(12, v::write);
    }
}
