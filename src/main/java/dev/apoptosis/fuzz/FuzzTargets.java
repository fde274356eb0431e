package dev.apoptosis.fuzz;

import dev.apoptosis.data.DataFuzzTargets;
import java.util.List;

/**
 * Every binary reader of the toolkit, as fuzz targets. A new reader joins with one line here (as
 * the ONNX reader did: {@link OnnxFuzzTarget}, with seed models, its {@code OnnxFormatException} as
 * the refusal and no seal, protocol buffers having no checksum); the CI suite and
 * {@code apoptosis fuzz} then cover it.
 */
public final class FuzzTargets {
    private FuzzTargets() {}

    /** All targets, in report order. */
    public static List<FuzzTarget> all() {
        return List.of(
                CheckpointFuzzTarget.target(),
                DataFuzzTargets.idxImages(),
                DataFuzzTargets.idxLabels(),
                DataFuzzTargets.cifarBinary(),
                DataFuzzTargets.imageCache(),
                DataFuzzTargets.tar(),
                DataFuzzTargets.digitsCsv(),
                OnnxFuzzTarget.target());
    }

    /** The target called {@code name}, or an error listing the names. */
    public static FuzzTarget named(String name) {
        for (FuzzTarget t : all()) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no fuzz target '" + name + "'; known: all, "
                + String.join(", ", all().stream().map(FuzzTarget::name).toList()));
    }
}
