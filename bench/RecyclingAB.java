import dev.apoptosis.graph.Curvature;
import dev.apoptosis.autodiff.ParamVector;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.onnx.ModelFiles;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.graph.ops.SoftmaxCrossEntropy;
import dev.apoptosis.tensor.Recycler;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.train.Sgd;
import dev.apoptosis.train.SgdConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A training step (or an EXACT H·v pass) of a checkpoint's model with storage recycling on and off,
 * alternated step by step in one JVM, so that the host's drift hits both alike: the figures behind
 * {@link Recycler}. Prints the median step of each and their ratio.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch \
 *     -Dapoptosis.threads=1 -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" \
 *     bench/RecyclingAB.java CHECKPOINT train|hvp STEPS
 * </pre>
 */
public class RecyclingAB {
    public static void main(String[] a) throws Exception {
        if (a.length != 3) {
            System.err.println("usage: RecyclingAB CHECKPOINT train|hvp STEPS");
            System.exit(2);
        }
        Path file = Path.of(a[0]);
        Graph g = ModelFiles.read(file).toGraph(file);
        boolean hvp = a[1].equals("hvp");
        int steps = Integer.parseInt(a[2]);
        Random r = new Random(0);
        int[] sample = g.inputs().get(0).outputShape();
        int[] shape = new int[sample.length + 1];
        shape[0] = 128;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Map<String, Tensor> input = Map.of(g.inputs().get(0).name(), Tensor.randn(r, 1f, shape));
        int[] labels = new int[128];
        for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(g.output().outputShape()[0]);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = new Sgd(g, new SgdConfig(0.9, 5e-4, false));
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
        for (int step = 0; step < 2 * (steps + 20); step++) {
            int side = step % 2;
            Recycler.enable(side == 1);
            long t0 = System.nanoTime();
            if (hvp) {
                try (Pass p = Pass.forward(g, input, Mode.BATCH_STATS, 0L, true)) {
                    p.loss(loss, labels);
                    p.curvatureProduct(ParamVector.obaDirection(g), Curvature.EXACT, false);
                }
            } else {
                try (Pass p = Pass.forward(g, input, Mode.TRAIN, 0L, true)) {
                    p.loss(loss, labels);
                    sgd.step(p.backward(false).parameters(), 0.01);
                }
            }
            if (step >= 40) ms.get(side).add((System.nanoTime() - t0) / 1e6);
        }
        double off = median(ms.get(0)), on = median(ms.get(1));
        System.out.printf("%s %s: new arrays %.2f ms, recycled %.2f ms, speed-up %.3f%n", file.getFileName(), a[1], off, on, off / on);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
