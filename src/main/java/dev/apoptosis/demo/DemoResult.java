package dev.apoptosis.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a demo run produced: the dense model's figures, one {@link Pruned} per criterion, the
 * inference timing of the first criterion's model, the ONNX check, and every file written (label →
 * path, in the order written).
 */
public record DemoResult(Path out, DemoSettings settings, double denseTop1, long denseMacs, long denseParams, List<Pruned> pruned,
                         InferenceTiming timing, OnnxCheck onnx, Map<String, Path> files, double wallSeconds, double cpuSeconds) {

    /** One criterion's model: accuracy straight after pruning and after fine-tuning, and what it kept. */
    public record Pruned(String criterion, double top1Pruned, double top1Finetuned, long macs, long params, Path checkpoint, Path runDir) {}

    /** The export of the first criterion's model, read back with our importer: the largest output difference over {@code samples} test images. */
    public record OnnxCheck(Path file, double maxAbsDiff, int samples) {}

    public DemoResult {
        pruned = List.copyOf(pruned);
        files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
    }
}
