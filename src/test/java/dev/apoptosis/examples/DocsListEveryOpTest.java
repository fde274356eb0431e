package dev.apoptosis.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.OpRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/engine.md's op table must name every registered op kind, so the docs cannot fall behind the code. */
class DocsListEveryOpTest {
    @Test
    void engineDocNamesEveryOpKind() throws Exception {
        String doc = Files.readString(Path.of("docs/engine.md"));
        for (String kind : OpRegistry.kinds()) {
            assertTrue(doc.matches("(?s).*\\b" + kind + "\\b.*"), "docs/engine.md does not mention op kind " + kind);
        }
    }
}
