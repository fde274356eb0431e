package dev.apoptosis.prune.channels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.OpRegistry;
import dev.apoptosis.graph.ops.Ops;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every op kind the engine registers has a line in the channel rules table (an op without one would
 * silently make every group it touches unprunable), and docs/pruning.md's table names it.
 */
class EveryOpHasAChannelRuleTest {
    @Test
    void everyRegisteredOpKindHasARuleAndADocLine() throws Exception {
        Ops.ensureRegistered();
        String doc = Files.readString(Path.of("docs/pruning.md"));
        for (String kind : OpRegistry.kinds()) {
            assertTrue(ChannelRules.covers(kind), "op kind " + kind + " has no line in ChannelRules");
            assertTrue(doc.matches("(?s).*`" + kind + "`.*"), "docs/pruning.md does not list op kind " + kind);
        }
    }
}
