package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ONNX project's own backend node tests (Debian's {@code libonnx-testdata}, which {@code .ci/run}
 * installs; this test is skipped where it is absent, or read from {@code $APOPTOSIS_ONNX_TESTDATA}):
 * for every op the importer claims, every node test either imports and reproduces the expected
 * outputs within ONNX's own backend-test tolerance (rtol 1e-3, atol 1e-7), or is refused with an
 * {@link OnnxFormatException} (an unsupported form, a non-float input, an operand that must be a
 * constant). A case with several inputs that is refused as given is tried once more with every input
 * after the first bound to its test value as an initializer (weights, bounds, axes and shapes are
 * graph inputs in these tests; the engine's graphs have one activation input) and only the first
 * output kept (the one compared; LayerNormalization's tests also output its mean and inverse
 * standard deviation, which the engine does not expose). Importing a case and
 * computing something else, in either form, fails the test, as does any other exception. The pass
 * count per op is printed (and quoted in docs/onnx.md).
 */
class OnnxNodeTestDataTest {
    /** Test-directory prefixes of the ops the importer claims. */
    private static final List<String> OPS = List.of("conv", "relu", "clip", "gemm", "maxpool", "averagepool", "globalaveragepool",
            "batchnorm", "softmax", "layer_normalization", "concat", "flatten", "reshape", "transpose", "matmul", "add", "tanh",
            "sigmoid", "dropout", "identity", "constant", "shape", "gather", "unsqueeze", "squeeze", "erf", "mul", "sub", "div", "pow",
            "sqrt", "reduce_mean", "cast", "slice", "expand", "where", "equal", "gelu", "pad");

    static Path dataDir() {
        String env = System.getenv("APOPTOSIS_ONNX_TESTDATA");
        return Path.of(env != null ? env : "/usr/share/libonnx-testdata/data/node");
    }

    /** The op prefix a case directory belongs to: the longest claimed prefix it starts with. */
    private static String opOf(String dir) {
        String best = null;
        for (String op : OPS) {
            if (dir.startsWith("test_" + op) && (best == null || op.length() > best.length())) best = op;
        }
        return best;
    }

    private static OnnxTensor readTensor(Path f) throws IOException {
        return ProtoReader.parse(Files.readAllBytes(f), "TensorProto", OnnxTensor::read);
    }

    private static Tensor toTensor(OnnxTensor t) {
        double[] v = t.values();
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
        int[] shape = new int[t.dims().length];
        for (int i = 0; i < shape.length; i++) shape[i] = (int) t.dims()[i];
        return Tensor.wrap(f, shape);
    }

    /** "pass", "pass (inputs bound)", "refused: why", or "FAIL: why". */
    private static String runCase(Path dir) throws IOException {
        Path file = dir.resolve("model.onnx");
        OnnxModel m;
        try {
            m = OnnxFile.read(file);
        } catch (OnnxFormatException e) {
            return "FAIL: a valid file does not decode: " + e.getMessage();
        }
        String r = runModel(m, file, dir, 0);
        int inputs = m.graph().inputs().size() - m.graph().initializers().size();
        if (!r.startsWith("refused") || inputs < 2 && m.graph().outputs().size() < 2) return r;
        List<OnnxTensor> inits = new ArrayList<>(m.graph().initializers());
        for (int i = 1; i < m.graph().inputs().size(); i++) {
            OnnxTensor t = readTensor(dir.resolve("test_data_set_0").resolve("input_" + i + ".pb"));
            inits.add(new OnnxTensor(m.graph().inputs().get(i).name(), t.dataType(), t.dims(), t.raw(), t.floatData(), t.intData(), false));
        }
        OnnxGraph g = m.graph();
        OnnxModel bound = new OnnxModel(m.irVersion(), m.producerName(), m.producerVersion(), m.opsets(),
                new OnnxGraph(g.name(), g.nodes(), inits, g.inputs(), g.outputs().subList(0, 1)), m.metadata());
        String again = runModel(bound, file, dir, 1);
        return again.equals("pass") ? "pass (inputs bound)" : again.startsWith("FAIL") ? again + " (inputs bound)" : r;
    }

    /** Imports and runs {@code m} on the case's inputs ({@code bound} > 0: all but the first are initializers now). */
    private static String runModel(OnnxModel m, Path file, Path dir, int bound) throws IOException {
        Graph g;
        try {
            g = OnnxImport.toGraph(m, file).graph();
        } catch (OnnxFormatException e) {
            return "refused: " + e.getMessage().replace('\n', ' ');
        } catch (RuntimeException e) {
            return "FAIL: import threw " + e;
        }
        Path data = dir.resolve("test_data_set_0");
        List<String> inputNames = new ArrayList<>();
        for (OnnxValueInfo in : m.graph().inputs()) {
            boolean init = false;
            for (OnnxTensor t : m.graph().initializers()) init |= t.name().equals(in.name());
            if (!init) inputNames.add(in.name());
        }
        if (bound > 0 && inputNames.size() != 1) return "FAIL: binding left " + inputNames;
        Map<String, Tensor> inputs = new HashMap<>();
        for (int i = 0; i < inputNames.size(); i++) inputs.put(g.inputs().get(i).name(), toTensor(readTensor(data.resolve("input_" + i + ".pb"))));
        OnnxTensor expected = readTensor(data.resolve("output_0.pb"));
        float[] got;
        int[] gotShape;
        try (Pass p = Pass.forward(g, inputs, Mode.EVAL, 0L, false)) {
            got = p.output().toArray();
            gotShape = p.output().shape();
        } catch (RuntimeException e) {
            return "FAIL: imported but the forward pass threw " + e;
        }
        long[] want = expected.dims();
        if (want.length != gotShape.length) return "FAIL: output rank " + Arrays.toString(gotShape) + " vs " + Arrays.toString(want);
        for (int i = 0; i < want.length; i++) if (want[i] != gotShape[i]) return "FAIL: output shape " + Arrays.toString(gotShape) + " vs " + Arrays.toString(want);
        double[] e = expected.values();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(got[i] - e[i]) <= 1e-7 + 1e-3 * Math.abs(e[i]))) return "FAIL: output " + i + " is " + got[i] + ", expected " + e[i];
        }
        return "pass";
    }

    @Test
    void everyClaimedOpReproducesItsNodeTestsOrRefusesThem() throws IOException {
        Path root = dataDir();
        assumeTrue(Files.isDirectory(root), "ONNX backend test data absent (" + root + "): install Debian's libonnx-testdata");
        Map<String, int[]> counts = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                String prefix = opOf(name);
                if (prefix == null || !Files.isRegularFile(dir.resolve("model.onnx"))) continue;
                // One node: the case belongs to that node's op (test_convtranspose* is not Conv's); several:
                // a function's expansion into other ops, counted apart.
                List<OnnxNode> nodes = OnnxFile.read(dir.resolve("model.onnx")).graph().nodes();
                String op = nodes.size() == 1 ? nodes.get(0).opType() : prefix + " (expanded)";
                if (nodes.size() == 1 && !OnnxOps.SUPPORTED.contains(op)) continue;
                String r = runCase(dir);
                int[] c = counts.computeIfAbsent(op, k -> new int[2]);
                c[1]++;
                if (r.startsWith("pass")) c[0]++;
                if (r.startsWith("FAIL")) failures.add(name + ": " + r);
                log.append(name).append(": ").append(r.length() > 300 ? r.substring(0, 300) : r).append('\n');
            }
        }
        System.out.print(log);
        System.out.println("op: imported and reproduced / node tests");
        for (Map.Entry<String, int[]> e : counts.entrySet()) System.out.println(e.getKey() + ": " + e.getValue()[0] + "/" + e.getValue()[1]);
        assertTrue(failures.isEmpty(), failures.size() + " node tests imported wrongly:\n" + String.join("\n", failures));
    }
}
