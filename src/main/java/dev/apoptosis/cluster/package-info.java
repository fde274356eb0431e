/**
 * Pruning past one machine on Apache Spark: importance estimation spread over executors
 * ({@code prune --cluster MASTER}) with the single-machine scores as the result, and Spark's cost
 * measured by {@code bench cluster} (docs/cluster.md).
 *
 * <p><b>Spark is optional.</b> It is a provided-scope dependency: the plain jar and
 * {@code target/lib} run without it, and the launcher adds {@code target/cluster-lib} only for
 * cluster commands. So no class outside this package names a Spark type, and in this package only
 * the classes that run on a cluster do ({@link dev.apoptosis.cluster.SparkCluster} and what it
 * ships); {@link dev.apoptosis.cluster.Cluster} checks that Spark is present before touching them.
 *
 * <p><b>Same numbers.</b> Work is cut into the blocks of {@link dev.apoptosis.prune.Calibration},
 * one Spark task each; the driver adds the blocks' float64 sums in block order, as the
 * single-machine loop does. Results travel back as task results, never through Spark accumulators,
 * which count a retried task twice.
 */
package dev.apoptosis.cluster;
