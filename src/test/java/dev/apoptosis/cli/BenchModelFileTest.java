package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-level benchmarks on a model file (a pruned model's odd widths), named after the file as
 * bench/pytorch_train.py names it, and the node list bench/pytorch_train.py rebuilds a model from.
 */
class BenchModelFileTest {
    @TempDir
    Path dir;

    private Path model(String name, int width) throws Exception {
        Graph g = ModelZoo.build("mlp", new ModelOptions(10, new int[] {1, 6, 6}, width, 1));
        Path f = dir.resolve(name);
        Checkpoint.of(g, Map.of(), null, null).write(f);
        return f;
    }

    @Test
    void trainAndAutodiffTimeACheckpointNamedAfterItsFile() throws Exception {
        Path f = model("pruned-7.ckpt", 7);
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "train", "--model", f.toString(), "--batch", "3", "--reps", "1",
                "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"name\":\"train/pruned-7/batch3\""), r.out());
        r = TrainCommandTest.run("bench", "autodiff", "--model", f.toString(), "--batch", "3", "--reps", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"name\":\"autodiff/ratio_hvp_exact_to_train_step/pruned-7/batch3\""), r.out());
    }

    @Test
    void aModelThatIsNeitherZooNorFileIsAnError() {
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "train", "--model", dir.resolve("missing.ckpt").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("is neither a zoo model nor a file") && r.err().contains("resnet20"), r.err());
    }

    @Test
    void inferJsonHasOneLinePerModelAndBatch() throws Exception {
        Path a = model("dense.ckpt", 16), b = model("half.ckpt", 8);
        TrainCommandTest.Run r = TrainCommandTest.run("bench", "infer", a.toString(), b.toString(), "--batch", "1,2", "--rounds", "1",
                "--reps", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> names = r.out().lines().map(l -> l.substring(0, l.indexOf("\",")).replace("{\"name\":\"", "")).toList();
        assertEquals(List.of("infer/dense/batch1", "infer/half/batch1", "infer/dense/batch2", "infer/half/batch2"), names);
    }

    @Test
    void infoJsonListsEveryNodeWithItsShape() throws Exception {
        Path f = model("m.ckpt", 7);
        TrainCommandTest.Run r = TrainCommandTest.run("info", "--json", "--layers", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode nodes = new ObjectMapper().readTree(r.out()).get("nodes");
        Graph g = Checkpoint.read(f).toGraph(f);
        assertEquals(g.nodes().size(), nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            assertEquals(g.nodes().get(i).name(), nodes.get(i).get("name").asText());
            assertEquals(g.nodes().get(i).outputShape()[0], nodes.get(i).get("shape").get(0).asInt());
        }
        assertTrue(r.out().contains("[ 7 ]") || r.out().contains("[7]"), "the hidden width is in the shapes: " + r.out());
        r = TrainCommandTest.run("info", "--json", f.toString());
        assertTrue(!r.out().contains("\"nodes\""), "nodes only with --layers");
    }
}
