package dev.apoptosis.fuzz;

import dev.apoptosis.data.DataFuzzTargets;
import java.util.List;

/**
 * Every binary reader of the toolkit, as fuzz targets. A new reader joins with one line here (for
 * the ONNX reader: {@code OnnxFuzzTarget.target(),} with a seed model, its {@code OnnxException} as
 * the refusal and a seal if the format has a checksum); the CI suite and {@code apoptosis fuzz}
 * then cover it.
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
                DataFuzzTargets.digitsCsv());
    }

    /** The target called {@code name}, or an error listing the names. */
    public static FuzzTarget named(String name) {
        for (FuzzTarget t : all()) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no fuzz target '" + name + "'; known: all, "
                + String.join(", ", all().stream().map(FuzzTarget::name).toList()));
    }
}
