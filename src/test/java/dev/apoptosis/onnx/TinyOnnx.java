package dev.apoptosis.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds small ONNX models in tests, node by node, with the message records themselves. */
final class TinyOnnx {
    final List<OnnxNode> nodes = new ArrayList<>();
    final List<OnnxTensor> inits = new ArrayList<>();
    final List<OnnxValueInfo> inputs = new ArrayList<>();
    final Map<String, String> meta = new LinkedHashMap<>();
    long opset = 17;
    String output;
    int[] outputShape;
    private final Random rng = new Random(3);

    TinyOnnx input(String name, int... sampleShape) {
        List<OnnxValueInfo.Dim> d = new ArrayList<>();
        d.add(OnnxValueInfo.Dim.symbolic("N"));
        for (int s : sampleShape) d.add(OnnxValueInfo.Dim.of(s));
        inputs.add(new OnnxValueInfo(name, OnnxTensor.FLOAT, d));
        return this;
    }

    /** A random float initializer. */
    String weight(String name, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian() * 0.5f;
        inits.add(OnnxTensor.ofFloats(name, dims, v));
        return name;
    }

    String floats(String name, long[] dims, float... v) {
        inits.add(OnnxTensor.ofFloats(name, dims, v));
        return name;
    }

    String longs(String name, long... v) {
        inits.add(OnnxTensor.ofLongs(name, new long[] {v.length}, v));
        return name;
    }

    TinyOnnx node(String name, String op, List<String> in, String out, OnnxAttribute... attrs) {
        nodes.add(new OnnxNode(name, op, "", in, List.of(out), List.of(attrs)));
        output = out;
        return this;
    }

    OnnxModel model() {
        List<OnnxValueInfo.Dim> d = new ArrayList<>();
        d.add(OnnxValueInfo.Dim.symbolic("N"));
        return new OnnxModel(8, "test", "1", Map.of("", opset),
                new OnnxGraph("tiny", nodes, inits, inputs, List.of(new OnnxValueInfo(output, OnnxTensor.FLOAT, null))), meta);
    }

    byte[] bytes() {
        return OnnxFile.encode(model());
    }
}
