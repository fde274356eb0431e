package dev.apoptosis.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.cli.Main;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference benchmark: every model at every batch size in both engines, and its refusals. */
class InferenceBenchTest {
    @TempDir
    Path tmp;

    private static Graph mlp(int width, int[] input) {
        return ModelZoo.build("mlp", new ModelOptions(10, input, width, 1));
    }

    @Test
    void timesEveryModelAtEveryBatchInBothEngines() {
        List<Graph> graphs = List.of(mlp(64, new int[] {1, 8, 8}), mlp(16, new int[] {1, 8, 8}));
        var rows = InferenceBench.run(List.of("wide", "narrow"), graphs, List.of(1, 4), 2, 2, 1, InferenceBench.onnxRuntime(1));
        assertEquals(4, rows.size());
        assertEquals(List.of("wide", "narrow", "wide", "narrow"), rows.stream().map(InferenceBench.Row::model).toList());
        assertEquals(List.of(1, 1, 4, 4), rows.stream().map(InferenceBench.Row::batch).toList());
        for (var r : rows) assertTrue(r.oursMs() > 0 && Double.isFinite(r.oursMs()) && r.ortMs() > 0 && Double.isFinite(r.ortMs()), r.toString());
        assertTrue(rows.get(0).macs() > rows.get(1).macs());
        String table = InferenceBench.table(rows);
        assertEquals(6, table.lines().count(), table);
        assertTrue(table.lines().skip(2).allMatch(l -> l.split("\\|").length == 12), table);
        assertTrue(table.contains("| wide | ") && table.contains("| 1.00x |"), "the first model is the reference of each batch size: " + table);
    }

    @Test
    void modelsOfAnotherInputShapeAreRefused() throws Exception {
        Path a = tmp.resolve("a.ckpt"), b = tmp.resolve("b.ckpt");
        Checkpoint.of(mlp(16, new int[] {1, 8, 8}), Map.of(), null, null).write(a);
        Checkpoint.of(mlp(16, new int[] {1, 6, 6}), Map.of(), null, null).write(b);
        StringWriter err = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err));
        assertNotEquals(0, cl.execute("bench", "infer", a.toString(), b.toString(), "--rounds", "1", "--reps", "1"));
        assertTrue(err.toString().contains("differs from the first model's"), err.toString());
    }
}
