package dev.apoptosis.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.apoptosis.graph.Mode;
import dev.apoptosis.autodiff.Pass;
import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.cli.Main;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.runs.RunRecords;
import dev.apoptosis.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end (quick settings of the same shape), into a temporary folder: every file it writes is checked. */
class DemoTest {
    @TempDir
    Path tmp;

    private static DemoResult run(Path out) throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoResult r = new Demo(out, DemoSettings.quick(7), new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        String log = progress.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("[1/6] training") && log.contains("[6/6] writing the report"), log);
        return r;
    }

    @Test
    void everyFileTheDemoWritesIsThereAndReadsBack() throws Exception {
        Path out = tmp.resolve("demo");
        DemoResult r = run(out);

        Set<String> expected = new TreeSet<>(List.of("dense.ckpt", "oba.ckpt", "magnitude.ckpt", "oba.onnx", "runs", "report.html",
                "summary.md"));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> s = Files.list(out)) {
            s.forEach(p -> present.add(p.getFileName().toString()));
        }
        assertEquals(expected, present, "nothing missing, nothing unaccounted for");
        for (Map.Entry<String, Path> e : r.files().entrySet()) assertTrue(Files.exists(e.getValue()), e.getKey() + ": " + e.getValue());
        assertTrue(r.files().values().containsAll(List.of(out.resolve("dense.ckpt"), out.resolve("report.html"), out.resolve("summary.md"))));

        Graph dense = Checkpoint.readGraph(out.resolve("dense.ckpt"));
        assertEquals(r.denseMacs(), dense.macs());
        assertEquals(List.of("oba", "magnitude"), r.pruned().stream().map(DemoResult.Pruned::criterion).toList());
        for (DemoResult.Pruned p : r.pruned()) {
            Checkpoint c = Checkpoint.read(p.checkpoint());
            Graph g = c.toGraph();
            assertTrue(g.macs() <= dense.macs() / 2, p.criterion() + ": " + g.macs() + " MACs of " + dense.macs());
            assertEquals(p.macs(), g.macs());
            assertEquals(Demo.DATA, c.metadata().get(Checkpoint.Meta.DATA), "the checkpoint names data that needs no download");
            assertEquals(2, c.metadata().get("prune.history").strip().lines().count());
            assertTrue(p.top1Finetuned() > 0.5, p.criterion() + " fine-tuned to " + p.top1Finetuned());

            RunRecords run = RunRecords.read(p.runDir());
            assertFalse(run.interrupted(), p.runDir().toString());
            assertEquals(2, run.steps().size());
            assertEquals(p.macs(), run.steps().get(1).macs());
            assertEquals(1, run.finetune().size());
            assertEquals(1, run.epochs().size(), "fine-tuning epochs recorded");
            assertEquals(4, run.layers().size(), "conv1-3 and fc");
        }
        RunRecords train = RunRecords.read(out.resolve("runs").resolve("train"));
        assertEquals(3, train.epochs().size());
        assertEquals(r.denseTop1(), train.epochs().get(2).testTop1(), 1e-12);

        // The export runs in ONNX Runtime with the model's outputs, and carries the pruning history.
        Graph oba = Checkpoint.readGraph(out.resolve("oba.ckpt"));
        Tensor x;
        try (var l = dev.apoptosis.data.DataSpec.parse(Demo.DATA).load().testLoader(64); var e = l.epoch(0)) {
            x = e.next().images();
        }
        float[] ours, ort;
        try (Pass p = Pass.forward(oba, Map.of(oba.inputs().get(0).name(), x), Mode.EVAL, 0L, false)) {
            ours = p.output().toArray();
        }
        byte[] onnx = Files.readAllBytes(out.resolve("oba.onnx"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toArray()), new long[] {x.shape()[0], 1, 8, 8});
             OrtSession.Result res = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
            FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
            ort = new float[fb.remaining()];
            fb.get(ort);
        }
        assertEquals(ours.length, ort.length);
        for (int i = 0; i < ours.length; i++) assertEquals(ours[i], ort[i], 1e-4, "logit " + i);
        assertTrue(r.onnx().maxAbsDiff() <= Demo.ONNX_TOLERANCE && r.onnx().samples() == 300, r.onnx().toString());
        assertTrue(dev.apoptosis.onnx.ModelFiles.read(out.resolve("oba.onnx")).metadata().get("prune.history").contains("\"step\":2"));

        Document doc = Jsoup.parse(out.resolve("report.html").toFile(), "UTF-8");
        assertEquals(List.of("magnitude", "oba"), doc.selectFirst("svg[data-chart=accuracy]").select("g.series").eachAttr("data-series"),
                "one chart series per criterion, in the criteria's order");
        assertTrue(doc.select("script").isEmpty());
        assertTrue(r.timing().denseMs() > 0 && r.timing().prunedMs() > 0);

        String summary = DemoSummary.text(r);
        for (String s : List.of("oba", "magnitude", "faster", out.resolve("report.html").toString(), out.resolve("oba.onnx").toString())) {
            assertTrue(summary.contains(s), summary);
        }
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| oba | oba | 50.0% |"), md);
    }

    @Test
    void theSameSeedGivesTheSameModels() throws IOException {
        DemoResult a = run(tmp.resolve("a")), b = run(tmp.resolve("b"));
        for (int i = 0; i < a.pruned().size(); i++) {
            DemoResult.Pruned x = a.pruned().get(i), y = b.pruned().get(i);
            assertEquals(x.top1Pruned(), y.top1Pruned());
            assertEquals(x.top1Finetuned(), y.top1Finetuned());
            Map<String, Tensor> sx = Checkpoint.readGraph(x.checkpoint()).state(), sy = Checkpoint.readGraph(y.checkpoint()).state();
            assertEquals(sx.keySet(), sy.keySet());
            for (String k : sx.keySet()) assertArrayEquals(sx.get(k).toArray(), sy.get(k).toArray(), 0f, x.criterion() + " " + k);
        }
    }

    @Test
    void theCommandRefusesToWriteOverAFolderItDidNotMake() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "keep");
        StringWriter err = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("demo", "--out", out.toString()));
        assertTrue(err.toString().contains("not empty; pass --overwrite"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cl.execute("demo", "--out", out.toString(), "--overwrite"));
        assertTrue(err.toString().contains("does not look like a demo's folder"), err.toString());
        assertTrue(Files.exists(out.resolve("notes.txt")));
    }
}
