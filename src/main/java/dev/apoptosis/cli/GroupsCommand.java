package dev.apoptosis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.prune.DependencyGroups;
import dev.apoptosis.prune.Group;
import dev.apoptosis.prune.Member;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apoptosis groups MODEL}: the dependency groups the pruner would work with, so a user can
 * check what pruning will do to an unfamiliar model before running it (Torch-Pruning users print
 * {@code group.details()} for the same reason): per group an id, the channel count, its kind,
 * whether it is prunable or why not, and its members (parameter axes that lose entries).
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "List the dependency groups of a model (a checkpoint, or a zoo name built with random weights): "
                + "channels, members, and whether each is prunable or why not.")
public final class GroupsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "Checkpoint file, ONNX model (.onnx) or zoo model name.")
    String model;

    @Option(names = "--json", description = "One JSON object per group and line (id, name, channels, kind, prunable, reason, exact, members).")
    boolean json;

    @Option(names = "--members", description = "List every member in the text output (default: the first 6).")
    boolean allMembers;

    @Option(names = "--width", description = "Zoo model width (its default otherwise).")
    Integer width;

    @Option(names = "--classes", defaultValue = "10", description = "Zoo model classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--input", split = ",", description = "Zoo model input sample shape C,H,W (default: the model's).")
    int[] input;

    @Override
    public Integer call() throws IOException {
        Graph g = load();
        long t0 = System.nanoTime();
        DependencyGroups groups = DependencyGroups.of(g);
        double millis = (System.nanoTime() - t0) / 1e6;
        if (json) {
            ObjectMapper om = new ObjectMapper();
            for (Group grp : groups.groups()) System.out.println(om.writeValueAsString(record(grp)));
            return 0;
        }
        System.out.printf(Locale.ROOT, "%s: %d groups (%d prunable), %,d MACs, %,d parameters; grouped in %.1f ms%n", Terminal.safe(g.name()),
                groups.groups().size(), groups.prunable().size(), g.macs(), g.numParameters(), millis);
        for (Group grp : groups.groups()) {
            String status = grp.prunable() ? (grp.exact() ? "prunable" : "prunable (statistics of " + String.join(", ",
                    grp.statisticsCoupledBy().subList(0, Math.min(2, grp.statisticsCoupledBy().size())))
                    + (grp.statisticsCoupledBy().size() > 2 ? ", ..." : "") + " change)") : "unprunable: " + grp.reason();
            System.out.printf(Locale.ROOT, "%4d  %-40s %6d ch  %-8s %s%n", grp.id(), Terminal.safe(grp.name()), grp.channels(),
                    grp.kind().name().toLowerCase(Locale.ROOT), Terminal.safe(status));
            List<Member> ms = grp.members();
            int shown = allMembers ? ms.size() : Math.min(6, ms.size());
            StringBuilder b = new StringBuilder("        members: ");
            for (int i = 0; i < shown; i++) b.append(i > 0 ? ", " : "").append(Terminal.safe(ms.get(i).describe()));
            if (shown < ms.size()) b.append(", ... (").append(ms.size()).append(" in all)");
            System.out.println(b);
        }
        return 0;
    }

    private Graph load() throws IOException {
        Path file = Path.of(model);
        if (Files.exists(file)) return dev.apoptosis.onnx.ModelFiles.read(file).toGraph(file);
        if (!ModelZoo.has(model)) {
            throw new IllegalArgumentException("'" + model + "' is neither a file nor a zoo model; zoo models: "
                    + String.join(", ", ModelZoo.entries().keySet()));
        }
        ModelOptions o = ModelOptions.defaults().withClasses(classes).withSeed(1);
        if (width != null) o = o.withWidth(width);
        if (input != null) {
            if (input.length != 3) throw new IllegalArgumentException("--input must be C,H,W, got " + input.length + " values");
            o = o.withInput(input[0], input[1], input[2]);
        }
        return ModelZoo.build(model, o);
    }

    private static Map<String, Object> record(Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("name", g.name());
        m.put("channels", g.channels());
        m.put("kind", g.kind().name().toLowerCase(Locale.ROOT));
        m.put("prunable", g.prunable());
        m.put("reason", g.reason());
        m.put("exact", g.exact());
        m.put("statistics_coupled_by", g.statisticsCoupledBy());
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member mem : g.members()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("node", mem.node());
            x.put("tensor", mem.tensor());
            x.put("axis", mem.axis());
            x.put("size", mem.size());
            members.add(x);
        }
        m.put("members", members);
        return m;
    }
}
