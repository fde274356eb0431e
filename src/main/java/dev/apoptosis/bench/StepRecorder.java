package dev.apoptosis.bench;

import dev.apoptosis.autodiff.PassProfiler;
import dev.apoptosis.graph.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits one timed step into rows that add up to it exactly: one row per (op kind, phase) with the
 * summed time of those rules, and one row per <em>segment</em> of the step (forward call, loss,
 * backward call, optimiser update, ...) with the segment's time outside any rule.
 *
 * <p>The step calls {@link #start} once, then {@link #mark} at the end of each segment. Rule times come
 * from the pass as a {@link PassProfiler}; since rules run inside segments and never overlap, each
 * segment's remainder is non-negative and the rows of one step sum to its wall time. CPU time (from
 * {@link KernelCpuClock}), and the kernel workers' part of it, are split the same way.
 */
final class StepRecorder implements PassProfiler {
    /** Kind column of the rows that hold a segment's time outside rules. */
    static final String OUTSIDE = "(outside rules)";

    private final KernelCpuClock clock;
    /** Rows per node (labelled "name (kind)") instead of per op kind. */
    private final boolean byNode;
    private final Map<ProfileBench.RowKey, long[]> rows = new LinkedHashMap<>();
    private long cpuAtBegin;
    private long workersAtBegin;
    private long ruleNanos;
    private long ruleCpu;
    private long ruleWorkers;
    private long stepStart;
    private long stepCpuStart;
    private long lastMark;
    private long lastCpuMark;
    private long stepWorkersStart;
    private long lastWorkersMark;

    StepRecorder(KernelCpuClock clock, boolean byNode) {
        this.clock = clock;
        this.byNode = byNode;
    }

    @Override
    public void begin(Node node, Phase phase) {
        cpuAtBegin = clock.now();
        workersAtBegin = clock.workersAtLastReading();
    }

    @Override
    public void record(Node node, Phase phase, long nanos) {
        long cpu = clock.now() - cpuAtBegin;
        long workers = clock.workersAtLastReading() - workersAtBegin;
        String label = byNode ? node.name() + " (" + node.op().kind() + ")" : node.op().kind();
        long[] a = rows.computeIfAbsent(new ProfileBench.RowKey(label, ProfileBench.phaseName(phase)), k -> new long[4]);
        a[0] += nanos;
        a[1] += cpu;
        a[2]++;
        a[3] += workers;
        ruleNanos += nanos;
        ruleCpu += cpu;
        ruleWorkers += workers;
    }

    /** Starts a step: clears the rows and starts the clocks. */
    void start() {
        rows.clear();
        ruleNanos = 0;
        ruleCpu = 0;
        ruleWorkers = 0;
        stepCpuStart = lastCpuMark = clock.now();
        stepWorkersStart = lastWorkersMark = clock.workersAtLastReading();
        stepStart = lastMark = System.nanoTime();
    }

    /** Ends the segment {@code name}: its time since the previous mark, less the rules run in it, becomes its row. */
    void mark(String name) {
        long t = System.nanoTime();
        long c = clock.now();
        long w = clock.workersAtLastReading();
        long[] a = rows.computeIfAbsent(new ProfileBench.RowKey(OUTSIDE, name), k -> new long[4]);
        a[0] += (t - lastMark) - ruleNanos;
        a[1] += (c - lastCpuMark) - ruleCpu;
        a[3] += (w - lastWorkersMark) - ruleWorkers;
        ruleNanos = 0;
        ruleCpu = 0;
        ruleWorkers = 0;
        lastMark = t;
        lastCpuMark = c;
        lastWorkersMark = w;
    }

    /** The step just marked: its rows (wall ns, CPU ns, rule calls, worker CPU ns) and totals since {@link #start}. */
    ProfileBench.Sample sample() {
        Map<ProfileBench.RowKey, long[]> copy = new LinkedHashMap<>();
        rows.forEach((k, v) -> copy.put(k, v.clone()));
        return new ProfileBench.Sample(lastMark - stepStart, lastCpuMark - stepCpuStart, lastWorkersMark - stepWorkersStart, copy);
    }
}
