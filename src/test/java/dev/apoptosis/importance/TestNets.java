package dev.apoptosis.importance;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.Parameter;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.ClassToken;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.Dropout;
import dev.apoptosis.graph.ops.Flatten;
import dev.apoptosis.graph.ops.GELU;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.LayerNorm;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MatMul;
import dev.apoptosis.graph.ops.MaxPool2d;
import dev.apoptosis.graph.ops.Permute;
import dev.apoptosis.graph.ops.PositionalEmbedding;
import dev.apoptosis.graph.ops.ReLU;
import dev.apoptosis.graph.ops.Reshape;
import dev.apoptosis.graph.ops.Scale;
import dev.apoptosis.graph.ops.SelectToken;
import dev.apoptosis.graph.ops.Softmax;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.testing.Fixtures;
import java.util.Arrays;
import java.util.Random;

/** The small networks the importance tests score, and the fixture glue. */
final class TestNets {
    private TestNets() {}

    /**
     * The BN-ResNet block of {@code importance_fixtures.py}: conv0-bn0-relu0 (h0); conv1 (stride 2)-bn1-relu1-conv2-bn2;
     * 1×1 stride-2 shortcut conv + BN on h0; add-relu-global average pool-fc. No conv biases.
     */
    static Graph resnet(long seed) {
        GraphBuilder b = new GraphBuilder("resnet-block", seed);
        Node x = b.input("x", 3, 6, 6);
        Node h0 = b.add("relu0", new ReLU(), b.add("bn0", new BatchNorm2d(), b.add("conv0", Conv2d.of(4, 3, 1, 1, false), x)));
        Node h = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), b.add("conv1", Conv2d.of(6, 3, 2, 1, false), h0)));
        h = b.add("bn2", new BatchNorm2d(), b.add("conv2", Conv2d.of(6, 3, 1, 1, false), h));
        Node s = b.add("shortbn", new BatchNorm2d(), b.add("short", Conv2d.of(6, 1, 2, 0, false), h0));
        h = b.add("relu2", new ReLU(), b.add("add", new Add(), h, s));
        return b.build(b.add("fc", Linear.of(5), b.add("gap", new GlobalAvgPool(), h)));
    }

    /** The attention block of {@code importance_fixtures.py} with its sizes. */
    static Graph attention(Fixtures fx) {
        int t = fx.intAttr("tokens"), d = fx.intAttr("dim"), h = fx.intAttr("heads"), mlp = fx.intAttr("mlp");
        int classes = fx.intAttr("classes"), dh = d / h;
        double eps = fx.doubleAttr("eps");
        GraphBuilder b = new GraphBuilder("attention-block", 1);
        Node x = b.input("x", t, d);
        Node tokens = b.add("pos", new PositionalEmbedding(), b.add("cls", new ClassToken(), x));
        Node u = b.add("ln1", new LayerNorm(eps), tokens);
        Node q = heads(b, "q", b.add("q", Linear.of(d), u), t + 1, h, dh);
        Node k = heads(b, "k", b.add("k", Linear.of(d), u), t + 1, h, dh);
        Node v = heads(b, "v", b.add("v", Linear.of(d), u), t + 1, h, dh);
        Node scores = b.add("scale", new Scale(1.0 / Math.sqrt(dh)), b.add("scores", new MatMul(true), q, k));
        Node ctx = b.add("context", new MatMul(), b.add("softmax", new Softmax(), scores), v);
        Node merged = b.add("merge.reshape", new Reshape(t + 1, d), b.add("merge.permute", new Permute(1, 0, 2), ctx));
        Node res1 = b.add("res1", new Add(), tokens, b.add("proj", Linear.of(d), merged));
        Node m = b.add("ln2", new LayerNorm(eps), res1);
        m = b.add("fc2", Linear.of(d), b.add("gelu", new GELU(), b.add("fc1", Linear.of(mlp), m)));
        Node res2 = b.add("res2", new Add(), res1, m);
        Node cls = b.add("select", new SelectToken(0), b.add("lnf", new LayerNorm(eps), res2));
        return b.build(b.add("head", Linear.of(classes), cls));
    }

    private static Node heads(GraphBuilder b, String name, Node in, int t, int h, int dh) {
        return b.add(name + ".heads", new Permute(1, 0, 2), b.add(name + ".split", new Reshape(t, h, dh), in));
    }

    /** A ReLU MLP with a residual join: piecewise linear, every Linear with a bias. */
    static Graph mlp(long seed) {
        GraphBuilder b = new GraphBuilder("mlp", seed);
        Node x = b.input("x", 6);
        Node h1 = b.add("relu1", new ReLU(), b.add("fc1", Linear.of(7), x));
        Node h2 = b.add("relu2", new ReLU(), b.add("fc2", Linear.of(7), h1));
        return b.build(b.add("fc3", Linear.of(4), b.add("add", new Add(), h1, h2)));
    }

    /** A BN CNN with max-pooling, Dropout and a conv bias: every criterion's pass modes are exercised. */
    static Graph cnnWithDropout(long seed) {
        GraphBuilder b = new GraphBuilder("cnn-dropout", seed);
        Node x = b.input("x", 3, 6, 6);
        Node h = b.add("relu1", new ReLU(), b.add("bn1", new BatchNorm2d(), b.add("conv1", Conv2d.of(4, 3, 1, 1, true), x)));
        h = b.add("pool", new MaxPool2d(2), h);
        h = b.add("drop", new Dropout(0.3), b.add("flat", new Flatten(), h));
        return b.build(b.add("fc", Linear.of(3), h));
    }

    /** Sets every parameter and buffer from the fixture's {@code param.<name>}. */
    static void load(Graph g, Fixtures fx) {
        for (var e : g.state().entrySet()) {
            Tensor v = fx.tensor("param." + e.getKey());
            if (!v.sameShape(e.getValue())) throw new IllegalStateException(e.getKey() + ": fixture shape " + Arrays.toString(v.shape()));
            g.parameter(e.getKey()).setValue(v);
        }
    }

    static int[] labels(Fixtures fx) {
        return Arrays.stream(fx.attr("labels").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** Replaces every trainable parameter and buffer with seeded random values (running variances positive). */
    static void randomize(Graph g, long seed) {
        Random r = new Random(seed);
        for (Parameter p : g.parameters()) p.setValue(Tensor.randn(r, 0.5f, p.spec().shape()));
        for (Parameter p : g.buffers()) {
            p.setValue(p.name().endsWith("var") ? Tensor.uniform(r, 0.5f, 1.5f, p.spec().shape()) : Tensor.randn(r, 0.3f, p.spec().shape()));
        }
    }

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Random(seed), 1f, shape);
    }

    static int[] labels(long seed, int n, int classes) {
        Random r = new Random(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = r.nextInt(classes);
        return l;
    }
}
