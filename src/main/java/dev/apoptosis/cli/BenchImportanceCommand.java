package dev.apoptosis.cli;

import dev.apoptosis.bench.ImportanceBench;
import dev.apoptosis.importance.Criteria;
import dev.apoptosis.tensor.Parallel;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apoptosis bench importance}: seconds per calibration batch of each criterion, against a training step. */
@Command(name = "importance", mixinStandardHelpOptions = true,
        description = "Per importance criterion: time per calibration batch on random 3x32x32 data, its ratio to a training step "
                + "of the same model (timed alternately, medians), and the peak heap.")
public final class BenchImportanceCommand implements Runnable {
    @Mixin
    BenchModelOptions o;

    @Option(names = "--width", defaultValue = "0", description = "Model width (model-specific; 0 = the model's default).")
    int width;

    @Option(names = "--criteria", split = ",", defaultValue = "magnitude,taylor,obd,oba,exact",
            description = "Criteria to time, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> criteria;

    @Override
    public void run() {
        o.validate();
        if (width < 0) throw new IllegalArgumentException("--width must be >= 0 (0 = the model's default), got " + width);
        for (String c : criteria) {
            if (!Criteria.NAMES.contains(c)) {
                throw new IllegalArgumentException("--criteria: unknown criterion '" + c + "'; known: " + String.join(", ", Criteria.NAMES));
            }
        }
        ImportanceBench.run(o.model, width, o.batch, Parallel.threads(), o.warmup, o.reps, criteria, r -> {
            System.out.println(o.json ? r.toJson() : r.toText());
            System.out.flush();
        });
    }
}
