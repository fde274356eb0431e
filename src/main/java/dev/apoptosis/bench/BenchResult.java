package dev.apoptosis.bench;

import java.util.Locale;

/**
 * One benchmark measurement: a name, the thread count, the median time of one repetition and the
 * throughput it implies. {@code gflops} is NaN for benchmarks that are not FLOP-counted.
 */
public record BenchResult(String name, int threads, double ms, double gflops, double imagesPerSecond) {

    /** One JSON object on one line, with at least the fields name, threads, gflops, ms. */
    public String toJson() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"name\":\"%s\",\"threads\":%d,\"gflops\":%s,\"ms\":%.4f",
                name, threads, Double.isNaN(gflops) ? "null" : String.format(Locale.ROOT, "%.3f", gflops), ms));
        if (!Double.isNaN(imagesPerSecond)) {
            sb.append(String.format(Locale.ROOT, ",\"images_per_s\":%.2f", imagesPerSecond));
        }
        return sb.append('}').toString();
    }

    /** A human-readable table row. */
    public String toText() {
        String rate = !Double.isNaN(gflops) ? String.format(Locale.ROOT, "%9.2f GFLOP/s", gflops)
                : String.format(Locale.ROOT, "%9.1f img/s", imagesPerSecond);
        return String.format(Locale.ROOT, "%-44s threads=%d  %10.3f ms  %s", name, threads, ms, rate);
    }
}
