import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A model's training step (or EXACT H·v pass) with storage recycling ({@code dev.apoptosis.tensor.Recycler})
 * on and off, alternated step by step in one JVM, so that the host's drift hits both alike: the figures
 * behind the Recycler. The step is {@code bench train}'s and {@code bench autodiff}'s ({@code RandomCifarStep}).
 * Turning recycling off keeps what the recycler holds, so the "on" steps reuse the storage of the "on"
 * step before them. Prints the median step of each and their ratio.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch \
 *     -Dapoptosis.threads=1 -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" \
 *     bench/RecyclingAB.java MODEL train|hvp STEPS
 * </pre>
 * MODEL is a zoo name or a checkpoint.
 */
public class RecyclingAB {
    public static void main(String[] a) throws Exception {
        if (a.length != 3 || !(a[1].equals("train") || a[1].equals("hvp"))) {
            System.err.println("usage: RecyclingAB MODEL train|hvp STEPS");
            System.exit(2);
        }
        Class<?> c = Class.forName("dev.apoptosis.bench.RandomCifarStep");
        Constructor<?> k = c.getDeclaredConstructor(String.class, int.class);
        k.setAccessible(true);
        Object bench = k.newInstance(a[0], 128);
        boolean hvp = a[1].equals("hvp");
        Class<?> curv = Class.forName("dev.apoptosis.graph.Curvature");
        Method step = hvp ? c.getDeclaredMethod("curvatureStep", curv) : c.getDeclaredMethod("trainStep");
        step.setAccessible(true);
        Object exact = curv.getField("EXACT").get(null);
        Method enable = Class.forName("dev.apoptosis.tensor.Recycler").getMethod("enable", boolean.class);
        int steps = Integer.parseInt(a[2]);
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 2 * (steps + 20); i++) {
            int side = i % 2;
            enable.invoke(null, side == 1);
            long t0 = System.nanoTime();
            if (hvp) step.invoke(bench, exact);
            else step.invoke(bench);
            if (i >= 40) ms.get(side).add((System.nanoTime() - t0) / 1e6);
        }
        double off = median(ms.get(0)), on = median(ms.get(1));
        System.out.printf("%s %s: new arrays %.2f ms, recycled %.2f ms, speed-up %.3f%n", Path.of(a[0]).getFileName(), a[1],
                off, on, off / on);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
