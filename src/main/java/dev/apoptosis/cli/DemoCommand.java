package dev.apoptosis.cli;

import dev.apoptosis.demo.Demo;
import dev.apoptosis.demo.DemoResult;
import dev.apoptosis.demo.DemoSettings;
import dev.apoptosis.demo.DemoSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apoptosis demo}: the main job on the bundled digits, end to end (see {@link Demo}). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job in one command, on the 8x8 digits bundled in the jar (nothing to download): train a small CNN, prune it "
                + "to 50%% of its MACs with OBA and with magnitude, fine-tune both, export to ONNX and check it, time inference, write the "
                + "report.", "Deterministic for a --seed (apart from timings); about a minute on two cores."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "Folder for everything the demo writes "
            + "(default: ${DEFAULT-VALUE}); it must be new or empty unless --overwrite.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation, data order and calibration (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace what an earlier demo wrote into --out.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            boolean empty;
            try (var s = Files.list(out)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty) {
                if (!overwrite) throw new IllegalArgumentException(out + " is not empty; pass --overwrite to replace an earlier demo, or --out DIR");
                if (!Files.isRegularFile(out.resolve("summary.md")) && !Files.isDirectory(out.resolve("runs"))) {
                    throw new IllegalArgumentException(out + " does not look like a demo's folder (no summary.md or runs/): not deleting it");
                }
                deleteTree(out);
            }
        }
        DemoResult r = new Demo(out, DemoSettings.defaults(seed), System.err).run();
        System.out.print(DemoSummary.text(r));
        return 0;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
