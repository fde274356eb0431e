package dev.apoptosis.cli;

import static dev.apoptosis.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.ops.Linear;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, item 6: thread settings and terminal escape codes from files, as a user meets them on the command line. */
class UntrustedInputCliTest {
    @TempDir
    Path dir;

    /** APOPTOSIS_THREADS=0 or abc died with ExceptionInInitializerError; it is an error naming the setting. */
    @Test
    void aBadThreadsSettingIsAnErrorNotAnInitializerCrash() throws Exception {
        for (String bad : new String[] {"0", "abc"}) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path")));
            cmd.addAll(List.of("dev.apoptosis.cli.Main", "info", dir.resolve("none.ckpt").toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("APOPTOSIS_THREADS", bad);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.waitFor(), out);
            assertTrue(out.contains("error: APOPTOSIS_THREADS must be") && out.contains("got " + (bad.equals("abc") ? "'abc'" : bad)), out);
            assertFalse(out.contains("ExceptionInInitializerError") || out.contains("\tat "), out);
        }
    }

    /** --threads 0 printed a reflection message; --threads 1000 started 1021 threads for 40 images. */
    @Test
    void threadCountsOutOfRangeAreRefusedPlainly() {
        for (String n : new String[] {"0", "1000"}) {
            TrainCommandTest.Run r = run("--threads", n, "info", "x.ckpt");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("--threads must be between 1 and") && r.err().contains("got " + n), r.err());
            assertFalse(r.err().contains("InvocationTargetException") || r.err().contains("reflect"), r.err());
        }
    }

    /** Model names and metadata with terminal escape codes were printed raw by info and eval. */
    @Test
    void escapeCodesInMetadataAreShownNotObeyed() throws IOException {
        GraphBuilder b = new GraphBuilder("net", 1);
        Graph g = b.build(b.add("fc", Linear.of(10), b.input("x", 1, 8, 8)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.Meta.MODEL, "evil\u001b]0;owned\u0007\u001b[2J\u009b31m\u202egnp.exe");
        meta.put(Checkpoint.Meta.DATA, "digits\u001b[1A");
        meta.put("note", "x\ny");
        Path f = dir.resolve("evil.ckpt");
        Checkpoint.of(g, meta, null, null).write(f);
        TrainCommandTest.Run info = run("info", f.toString());
        assertEquals(0, info.code(), info.err());
        for (String raw : new String[] {"\u001b", "\u0007", "\u009b", "\u202e"}) {
            assertFalse(info.out().contains(raw), "raw control character U+" + Integer.toHexString(raw.charAt(0)) + " in:\n" + info.out());
        }
        assertTrue(info.out().contains("evil\\e]0;owned\\u0007\\e[2J\\u009b31m\\u202egnp.exe"), info.out());
        assertTrue(info.out().contains("note=x\\ny"), info.out());
        TrainCommandTest.Run json = run("info", "--json", f.toString());
        assertFalse(json.out().contains("\u001b") || json.out().contains("\u009b") || json.out().contains("\u202e"), json.out());
        assertTrue(json.out().contains("\\u001b]0;owned"), json.out());
    }
}
