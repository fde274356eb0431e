package dev.apoptosis.cli;

import dev.apoptosis.bench.ProfileBench;
import dev.apoptosis.bench.ProfileFormat;
import dev.apoptosis.tensor.Parallel;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apoptosis bench profile}: where a training step's or H·v pass's time goes, per op kind and phase. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Per op kind and phase (forward, backward, tangent, rBackward): median ms per step, %% of the step,"
                + " nodes, kernel-thread CPU ms; plus the time outside op rules (loss, SGD update, adjoint sums), so rows add up"
                + " to the step. --pass train is `bench train`'s step, hvp is `bench autodiff`'s EXACT H·v pass, infer is `bench infer`'s evaluation forward.",
                "--compare-threads alternates 1 thread and --threads N step by step and prints the speed-up per row.",
                "--by-node gives one row per node (\"name (kind)\") instead of per op kind."})
public final class BenchProfileCommand implements Runnable {
    @Mixin
    BenchModelOptions o;

    @Option(names = "--pass", defaultValue = "train", description = "train, hvp or infer (default: ${DEFAULT-VALUE}).")
    String pass;

    @Option(names = "--compare-threads", description = "Profile at 1 thread and at --threads N (>= 2) alternately; show the speed-up per row.")
    boolean compareThreads;

    @Option(names = "--by-node", description = "One row per node and phase instead of per op kind.")
    boolean byNode;

    @Override
    public void run() {
        o.validate();
        ProfileBench.Step step = switch (pass) {
            case "train" -> ProfileBench.Step.TRAIN;
            case "hvp" -> ProfileBench.Step.HVP;
            case "infer" -> ProfileBench.Step.INFER;
            default -> throw new IllegalArgumentException("--pass must be train, hvp or infer, got '" + pass + "'");
        };
        if (compareThreads) {
            List<ProfileBench.Profile> ps = ProfileBench.compare(o.model, o.batch, step, o.warmup, o.reps, Parallel.threads(), byNode);
            if (o.json) {
                for (ProfileBench.Profile p : ps) ProfileFormat.json(p).forEach(System.out::println);
            } else {
                System.out.print(ProfileFormat.compareText(ps.get(0), ps.get(1)));
            }
        } else {
            ProfileBench.Profile p = ProfileBench.run(o.model, o.batch, step, o.warmup, o.reps, byNode);
            if (o.json) ProfileFormat.json(p).forEach(System.out::println);
            else System.out.print(ProfileFormat.text(p));
        }
    }
}
