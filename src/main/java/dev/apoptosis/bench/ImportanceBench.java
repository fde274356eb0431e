package dev.apoptosis.bench;

import dev.apoptosis.importance.Criteria;
import dev.apoptosis.importance.Criterion;
import dev.apoptosis.importance.Scores;
import dev.apoptosis.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Cost of each importance criterion per calibration batch, relative to a training step of the same
 * model, on one fixed random CIFAR-shaped batch ({@link RandomCifarStep}).
 *
 * <p>Each repetition times a training step and then one {@code Criterion.accumulate} call of every
 * criterion, in turn, so every criterion gets a side-by-side ratio to a step measured moments
 * before it on a machine whose load changes; the reported figures are medians over repetitions. The
 * criteria run with their default options (BatchNorm on batch statistics, one OBD probe).
 *
 * <p>Both wall time and CPU time are measured (the CPU time of the calling thread and the kernel
 * pool's workers, {@link KernelCpuClock}): on a shared machine wall time includes waiting for a core,
 * CPU time does not, so the CPU-time ratio is the steadier figure when others load the machine.
 *
 * <p>Before each timed call (training steps included) a full garbage collection runs, untimed, so no
 * call pays for the garbage of the one before it.
 *
 * <p>Peak heap: before each timed call the JVM's heap memory pools have their peak usage reset;
 * after it the pools' peaks are summed (an upper bound of the heap in use at any one moment during
 * the call, garbage not yet collected included); the largest over repetitions is reported.
 */
public final class ImportanceBench {
    private ImportanceBench() {}

    /** One criterion's figures: medians over repetitions, and the largest peak heap. */
    public record Result(String criterion, String model, int width, int batch, int threads, double ms, double trainStepMs,
                         double ratio, double cpuMs, double cpuRatio, double peakHeapMb, int reps) {
        public String name() {
            return "importance/" + criterion + "/" + model + (width > 0 ? "-w" + width : "") + "/batch" + batch;
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"name\":\"%s\",\"threads\":%d,\"ms\":%.1f,\"train_step_ms\":%.1f,\"ratio\":%.3f,"
                    + "\"cpu_ms\":%.1f,\"cpu_ratio\":%.3f,\"peak_heap_mb\":%.0f,\"reps\":%d}", name(), threads, ms, trainStepMs, ratio,
                    cpuMs, cpuRatio, peakHeapMb, reps);
        }

        public String toText() {
            return String.format(Locale.ROOT, "%-44s %d threads  %9.1f ms/batch  %6.2f training steps (step %.1f ms)  CPU %6.2f steps"
                    + "  peak heap %,.0f MB", name(), threads, ms, ratio, trainStepMs, cpuRatio, peakHeapMb);
        }
    }

    public static void run(String model, int width, int batch, int threads, int warmup, int reps, List<String> criteria,
                           Consumer<Result> sink) {
        RandomCifarStep s = new RandomCifarStep(model, width, batch);
        Tensor images = s.input.values().iterator().next();
        Criterion[] cs = new Criterion[criteria.size()];
        for (int i = 0; i < cs.length; i++) cs[i] = Criteria.create(criteria.get(i));
        for (int w = 0; w < warmup; w++) {
            s.trainStep();
            for (Criterion c : cs) c.accumulate(s.graph, images, s.labels, c.newScores(s.graph));
        }
        KernelCpuClock clock = new KernelCpuClock();
        clock.refreshWorkers();
        double[] step = new double[reps], stepCpu = new double[reps], stepHeap = new double[reps];
        double[][] ms = new double[cs.length][reps], cpu = new double[cs.length][reps], heap = new double[cs.length][reps];
        double[][] ratio = new double[cs.length][reps], cpuRatio = new double[cs.length][reps];
        double[] t = new double[2];
        for (int r = 0; r < reps; r++) {
            resetPeaks();
            time(clock, s::trainStep, t);
            step[r] = t[0];
            stepCpu[r] = t[1];
            stepHeap[r] = peakHeapMb();
            for (int i = 0; i < cs.length; i++) {
                Criterion c = cs[i];
                Scores into = c.newScores(s.graph);
                resetPeaks();
                time(clock, () -> c.accumulate(s.graph, images, s.labels, into), t);
                ms[i][r] = t[0];
                cpu[i][r] = t[1];
                heap[i][r] = peakHeapMb();
                ratio[i][r] = ms[i][r] / step[r];
                cpuRatio[i][r] = cpu[i][r] / stepCpu[r];
            }
        }
        double stepMs = Timing.median(step), stepCpuMs = Timing.median(stepCpu);
        sink.accept(new Result("train_step", RandomCifarStep.label(model), width, batch, threads, stepMs, stepMs, 1.0, stepCpuMs, 1.0, max(stepHeap), reps));
        for (int i = 0; i < cs.length; i++) {
            sink.accept(new Result(cs[i].name(), RandomCifarStep.label(model), width, batch, threads, Timing.median(ms[i]), stepMs, Timing.median(ratio[i]), Timing.median(cpu[i]),
                    Timing.median(cpuRatio[i]), max(heap[i]), reps));
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    private static double peakHeapMb() {
        long b = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) b += p.getPeakUsage().getUsed();
        return b / (1024.0 * 1024.0);
    }

    /** Runs r; out[0] = wall ms, out[1] = CPU ms of this thread and the kernel workers. */
    private static void time(KernelCpuClock clock, Runnable r, double[] out) {
        long c = clock.now(), t = System.nanoTime();
        r.run();
        out[0] = (System.nanoTime() - t) / 1e6;
        out[1] = (clock.now() - c) / 1e6;
    }


    private static double max(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, x);
        return m;
    }
}
