package dev.apoptosis.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on 127.0.0.1 made of child JVMs started from Spark's own classes (for
 * {@code bench cluster} and the tests; a real cluster is started with Spark's own scripts): one
 * {@code org.apache.spark.deploy.master.Master} and N {@code org.apache.spark.deploy.worker.Worker}s
 * of one core each, all on this JVM's class path. Workers start their executors with Spark's
 * launcher, which wants a Spark home with a {@code jars} folder unless SPARK_TESTING is set; the
 * executors' class path then comes from the application ({@code spark.executor.extraClassPath}).
 * Logs go to files in {@code dir}. {@link #close} kills every process tree it started.
 */
public final class LoopbackCluster implements AutoCloseable {
    private final Path dir;
    private final int masterPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    /** Starts a master and {@code workers} one-core workers, logging to files in {@code dir}; returns once the master listens. */
    public LoopbackCluster(Path dir, int workers) throws IOException {
        this.dir = dir;
        this.masterPort = freePort();
        this.master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
                "--webui-port", Integer.toString(freePort()));
        awaitPort(masterPort);
        for (int i = 0; i < workers; i++) addWorker();
    }

    /** The master URL. */
    public String url() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** What the driver must set to be reachable on loopback and fit small executors. */
    public static Map<String, String> driverConf() {
        return Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1", "spark.executor.memory", "640m",
                "spark.executor.cores", "1");
    }

    /** Starts one more one-core worker. */
    public void addWorker() throws IOException {
        int n = workers.size();
        Path work = Files.createDirectories(dir.resolve("worker" + n));
        workers.add(start("worker" + n, "org.apache.spark.deploy.worker.Worker", url(), "--host", "127.0.0.1", "--cores", "1",
                "--memory", "1g", "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort())));
    }

    /** Kills worker {@code i} and its executors at once (SIGKILL), as a machine that fails. */
    public void killWorker(int i) {
        Process w = workers.get(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        cmd.addAll(List.of(SparkCluster.EXECUTOR_JAVA_OPTIONS.split(" ")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /** The log of process {@code name} (master, worker0, ...), for failure messages. */
    public String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitPort(int port) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!master.isAlive()) throw new IOException("the master exited: " + log("master"));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
        throw new IOException("the master did not listen on " + port + " within 60 s: " + log("master"));
    }

    /** Kills every process started, with its children (the executors). */
    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.descendants().forEach(ProcessHandle::destroyForcibly);
        master.destroyForcibly();
    }
}
