import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Two builds of Apoptosis in one JVM, each in its own class loader, running the same training step (or EXACT
 * H·v pass) alternately, step by step: a build-against-build ratio that the host's drift hits on both sides
 * alike. Separate JVMs run minutes apart moved by up to 2x on this project's shared machines; alternating
 * steps in one process is what made the recycling figures in docs/performance.md readable.
 *
 * <p>Each side has its own copy of every static (thread pool, scratch buffers, recycler); with
 * {@code -Dapoptosis.threads=2} a side's pool worker may spin for up to 0.2 ms into the other side's step.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch \
 *     -Dapoptosis.threads=1 bench/JarAB.java BASE.jar CANDIDATE.jar LIB_DIR MODEL train|hvp STEPS
 * </pre>
 * MODEL is a zoo name (resnet20) or a checkpoint; LIB_DIR the runtime dependencies ({@code target/lib});
 * copy the jars out of {@code target/} first, so that a rebuild does not change a side under way.
 */
public class JarAB {
    public static void main(String[] a) throws Exception {
        if (a.length != 6 || !(a[4].equals("train") || a[4].equals("hvp"))) {
            System.err.println("usage: JarAB BASE.jar CANDIDATE.jar LIB_DIR MODEL train|hvp STEPS");
            System.exit(2);
        }
        List<URL> lib = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(a[2]))) {
            for (Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) lib.add(p.toUri().toURL());
        }
        boolean hvp = a[4].equals("hvp");
        int steps = Integer.parseInt(a[5]), warmup = 20;
        Side[] sides = {new Side(a[0], lib, a[3], hvp), new Side(a[1], lib, a[3], hvp)};
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 2 * (warmup + steps); i++) {
            // ABBA order, so that neither side always follows the other.
            int side = (i / 2) % 2 == 0 ? i % 2 : 1 - i % 2;
            long t0 = System.nanoTime();
            sides[side].step();
            if (i >= 2 * warmup) ms.get(side).add((System.nanoTime() - t0) / 1e6);
        }
        double base = median(ms.get(0)), cand = median(ms.get(1));
        System.out.printf("%s %s: %s %.2f ms, %s %.2f ms per step (medians of %d), speed-up %.3f%n", a[3], a[4],
                Path.of(a[0]).getFileName(), base, Path.of(a[1]).getFileName(), cand, steps, base / cand);
    }

    /** One build: its class loader and one step of it, called by reflection. */
    private static final class Side {
        final Object step;
        final Method run;
        final Object curvature;

        Side(String jar, List<URL> lib, String model, boolean hvp) throws Exception {
            List<URL> urls = new ArrayList<>(lib);
            urls.add(0, Path.of(jar).toUri().toURL());
            ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> c = loader.loadClass("dev.apoptosis.bench.RandomCifarStep");
            Constructor<?> k = c.getDeclaredConstructor(String.class, int.class);
            k.setAccessible(true);
            step = k.newInstance(model, 128);
            if (hvp) {
                Class<?> curv = loader.loadClass("dev.apoptosis.graph.Curvature");
                curvature = curv.getField("EXACT").get(null);
                run = c.getDeclaredMethod("curvatureStep", curv);
            } else {
                curvature = null;
                run = c.getDeclaredMethod("trainStep");
            }
            run.setAccessible(true);
        }

        void step() throws Exception {
            if (curvature != null) run.invoke(step, curvature);
            else run.invoke(step);
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
