package dev.apoptosis.testing;

import dev.apoptosis.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads fixture files written by {@code tools/fixtures/fixio.py} (PyTorch, float64) from the test
 * classpath under {@code /fixtures/}. Values are kept as doubles so tests choose their tolerance.
 */
public final class Fixtures {
    /** A tensor read from a fixture: a shape and float64 values. */
    public record Array(int[] shape, double[] values) {
        public Tensor toTensor() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return Tensor.wrap(f, shape);
        }
    }

    private final String name;
    private final Map<String, String> attrs = new LinkedHashMap<>();
    private final Map<String, Array> tensors = new LinkedHashMap<>();

    private Fixtures(String name) {
        this.name = name;
    }

    /** Loads {@code /fixtures/<path>} from the test classpath. */
    public static Fixtures load(String path) {
        String res = "/fixtures/" + path;
        try (InputStream in = Fixtures.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("fixture not found on classpath: " + res);
            return parse(res, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fixture " + res, e);
        }
    }

    private static Fixtures parse(String res, BufferedReader r) throws IOException {
        Fixtures fx = new Fixtures(res);
        String line;
        int lineNo = 0;
        String pendingName = null;
        int[] pendingShape = null;
        double[] pending = null;
        int filled = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (pending != null && filled < pending.length) {
                for (String tok : line.trim().split("\\s+")) {
                    if (tok.isEmpty()) continue;
                    if (filled >= pending.length) throw new IllegalStateException(res + ":" + lineNo + ": too many values for " + pendingName);
                    pending[filled++] = Double.parseDouble(tok);
                }
                if (filled == pending.length) {
                    fx.tensors.put(pendingName, new Array(pendingShape, pending));
                    pending = null;
                }
                continue;
            }
            if (pending != null && pending.length == 0) {
                fx.tensors.put(pendingName, new Array(pendingShape, pending));
                pending = null;
                continue;
            }
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] parts = t.split("\\s+");
            switch (parts[0]) {
                case "attr" -> fx.attrs.put(parts[1], parts.length > 2 ? parts[2] : "");
                case "tensor" -> {
                    pendingName = parts[1];
                    pendingShape = parts[2].equals("scalar") ? new int[0]
                            : Arrays.stream(parts[2].split(",")).mapToInt(Integer::parseInt).toArray();
                    int n = 1;
                    for (int d : pendingShape) n *= d;
                    pending = new double[n];
                    filled = 0;
                }
                default -> throw new IllegalStateException(res + ":" + lineNo + ": unknown record '" + parts[0] + "'");
            }
        }
        if (pending != null && filled < pending.length) {
            throw new IllegalStateException(res + ": truncated tensor " + pendingName);
        }
        if (pending != null) fx.tensors.put(pendingName, new Array(pendingShape, pending));
        return fx;
    }

    public Array array(String key) {
        Array a = tensors.get(key);
        if (a == null) throw new IllegalStateException(name + ": no tensor '" + key + "' (has " + tensors.keySet() + ")");
        return a;
    }

    public Tensor tensor(String key) {
        return array(key).toTensor();
    }

    public boolean has(String key) {
        return tensors.containsKey(key) || attrs.containsKey(key);
    }

    public String attr(String key) {
        String v = attrs.get(key);
        if (v == null) throw new IllegalStateException(name + ": no attr '" + key + "'");
        return v;
    }

    public int intAttr(String key) {
        return Integer.parseInt(attr(key));
    }

    public double doubleAttr(String key) {
        return Double.parseDouble(attr(key));
    }

    public java.util.Set<String> tensorNames() {
        return tensors.keySet();
    }
}
