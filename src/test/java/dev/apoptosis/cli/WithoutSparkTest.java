package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark is optional at run time: the commands run from a class path without it, as the plain jar
 * and target/lib do. The test class path minus Spark's jars is loaded into a fresh class loader (its
 * parent the platform loader, so nothing leaks in from this one); a {@code prune} run there would
 * fail with NoClassDefFoundError if any class outside {@code --cluster} touched Spark, and
 * {@code --cluster} there is the error that says how to get Spark.
 */
class WithoutSparkTest {
    @TempDir
    Path dir;

    /** The run's exit code and its stderr, in a loader without Spark. */
    private record Run(int code, String err) {}

    private static URLClassLoader withoutSpark() throws IOException {
        List<URL> urls = new ArrayList<>();
        int dropped = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.replace('\\', '/').contains("/org/apache/spark/")) {
                dropped++;
                continue;
            }
            urls.add(Path.of(e).toUri().toURL());
        }
        assertTrue(dropped > 0, "the test class path holds Spark's jars (from the local Maven repository)");
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static Run run(ClassLoader loader, String... args) throws Exception {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Object cl = loader.loadClass("dev.apoptosis.cli.Main").getMethod("newCommandLine").invoke(null);
            int code = (Integer) cl.getClass().getMethod("execute", String[].class).invoke(cl, (Object) args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void pruneRunsWithoutSparkAndClusterSaysWhatIsMissing() throws Exception {
        Graph g = ModelZoo.build("digits-cnn", ModelOptions.defaults().withClasses(10).withInput(1, 8, 8).withWidth(8).withSeed(2));
        Path model = dir.resolve("m.ckpt");
        Checkpoint.of(g, Map.of(Checkpoint.Meta.DATA, "digits-bundled"), null, null).write(model);
        try (URLClassLoader loader = withoutSpark()) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.apache.spark.SparkContext"));
            Run plain = run(loader, "prune", "--model", model.toString(), "--criterion", "taylor", "--steps", "2", "--calib-batches", "2",
                    "--batch", "32", "--out", dir.resolve("p.ckpt").toString());
            assertEquals(0, plain.code(), plain.err());
            Run cluster = run(loader, "prune", "--model", model.toString(), "--criterion", "taylor", "--steps", "2", "--calib-batches", "2",
                    "--batch", "32", "--out", dir.resolve("c.ckpt").toString(), "--cluster", "local[2]");
            assertEquals(2, cluster.code(), cluster.err());
            assertTrue(cluster.err().contains("need Apache Spark on the class path"), cluster.err());
        }
    }
}
