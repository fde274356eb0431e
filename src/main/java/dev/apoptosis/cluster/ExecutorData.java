package dev.apoptosis.cluster;

import dev.apoptosis.data.DataSpec;
import dev.apoptosis.data.DataSplits;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data as an executor sees it: loaded from the spec once per executor JVM and kept for its later
 * tasks (an index of a large dataset is costly to build every step). A spec that does not load is
 * an error naming this host, so a path missing on one worker is told apart from a bad spec.
 */
final class ExecutorData {
    private static final Map<String, DataSplits> LOADED = new ConcurrentHashMap<>();

    private ExecutorData() {}

    static DataSplits get(String spec) {
        DataSplits d = LOADED.get(spec);
        if (d != null) return d;
        synchronized (LOADED) {
            d = LOADED.get(spec);
            if (d == null) {
                try {
                    d = DataSpec.parse(spec).load();
                } catch (Exception e) {
                    throw new IllegalStateException("executor on " + host() + " cannot read data '" + spec + "': " + e.getMessage()
                            + " (the data must be at the same path on every worker: bundled, or on a shared folder)", e);
                }
                LOADED.put(spec, d);
            }
            return d;
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "an unknown host";
        }
    }
}
