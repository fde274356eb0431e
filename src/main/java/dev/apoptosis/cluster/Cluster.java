package dev.apoptosis.cluster;

import java.time.Duration;

/**
 * Opens a {@link ClusterSession}: the one door from the rest of the code into Spark. It checks that
 * Spark is on the class path before any Spark class is touched, so a missing Spark is an error
 * saying what to do rather than a {@code NoClassDefFoundError} from deep inside a command.
 */
public final class Cluster {
    /** How long {@link #open} waits for a master to accept the application and give it an executor. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Cluster() {}

    /**
     * A session on {@code master}: {@code local[N]} (N executor threads in this JVM) or
     * {@code spark://host:port} (a standalone cluster). Fails after {@code timeout} if the master does
     * not answer or gives no executor, instead of waiting for ever.
     */
    public static ClusterSession open(String master, Duration timeout) {
        return open(master, timeout, java.util.Map.of());
    }

    /**
     * {@link #open(String, Duration)} with Spark settings on top of this code's own ({@code spark.*}
     * keys, as {@code spark-submit --conf} takes them): e.g. {@code spark.driver.host} on a machine
     * whose name resolves to an address the workers cannot reach, or {@code spark.executor.memory}.
     */
    public static ClusterSession open(String master, Duration timeout, java.util.Map<String, String> sparkConf) {
        if (master == null || master.isBlank()) throw new IllegalArgumentException("--cluster: the master URL is empty");
        if (!(master.startsWith("local[") || master.startsWith("spark://"))) {
            throw new IllegalArgumentException("--cluster must be local[N] or spark://HOST:PORT, got '" + master + "'");
        }
        requireSpark();
        for (String k : sparkConf.keySet()) {
            if (!k.startsWith("spark.")) throw new IllegalArgumentException("Spark setting '" + k + "' does not start with 'spark.'");
        }
        return SparkCluster.start(master, timeout, sparkConf);
    }

    /** True if Spark's classes can be loaded (without initialising any). */
    public static boolean sparkAvailable() {
        try {
            Class.forName("org.apache.spark.SparkContext", false, Cluster.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** An error saying how to get Spark unless it is on the class path. */
    public static void requireSpark() {
        if (!sparkAvailable()) {
            throw new IllegalStateException("--cluster and 'bench cluster' need Apache Spark on the class path, which the plain jar leaves out: run through "
                    + "./apoptosis (it adds target/cluster-lib/* for --cluster and 'bench cluster'), or add the jars of target/cluster-lib "
                    + "(built by 'mvn package') to -cp yourself");
        }
    }
}
