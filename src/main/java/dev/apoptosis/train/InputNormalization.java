package dev.apoptosis.train;

import dev.apoptosis.checkpoint.Checkpoint;
import dev.apoptosis.data.Normalize;
import java.util.Arrays;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The input normalisation a model was trained with, kept in its checkpoint's metadata
 * ({@link Checkpoint.Meta#INPUT_MEAN}, {@link Checkpoint.Meta#INPUT_STD}) so that evaluation, pruning
 * and export feed the model what it saw in training whatever data they are given, without the
 * training split it was computed from.
 */
public final class InputNormalization {
    private InputNormalization() {}

    /** Writes {@code n} into {@code metadata}, or removes both keys when {@code n} is null. */
    public static void record(Normalize n, Map<String, String> metadata) {
        if (n == null) {
            metadata.remove(Checkpoint.Meta.INPUT_MEAN);
            metadata.remove(Checkpoint.Meta.INPUT_STD);
            return;
        }
        metadata.put(Checkpoint.Meta.INPUT_MEAN, text(n.mean()));
        metadata.put(Checkpoint.Meta.INPUT_STD, text(n.std()));
    }

    /**
     * The normalisation recorded in {@code metadata}, or null when it records none (checkpoints of
     * older builds, or models trained on unnormalised inputs).
     *
     * @throws IllegalArgumentException naming {@code where} if only one key is present or a value is malformed
     */
    public static Normalize recorded(Map<String, String> metadata, String where) {
        String mean = metadata.get(Checkpoint.Meta.INPUT_MEAN), std = metadata.get(Checkpoint.Meta.INPUT_STD);
        if (mean == null && std == null) return null;
        if (mean == null || std == null) {
            throw new IllegalArgumentException(where + ": metadata has " + (mean == null ? Checkpoint.Meta.INPUT_STD : Checkpoint.Meta.INPUT_MEAN)
                    + " without " + (mean == null ? Checkpoint.Meta.INPUT_MEAN : Checkpoint.Meta.INPUT_STD));
        }
        try {
            return new Normalize(floats(mean), floats(std));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad input normalisation in metadata (" + Checkpoint.Meta.INPUT_MEAN + "="
                    + mean + ", " + Checkpoint.Meta.INPUT_STD + "=" + std + "): " + e.getMessage(), e);
        }
    }

    /** Human-readable form: {@code mean [..], std [..]}. */
    public static String describe(Normalize n) {
        return "mean " + Arrays.toString(n.mean()) + ", std " + Arrays.toString(n.std());
    }

    // Float.toString gives the shortest text that parses back to the same float, so the round trip is exact.
    private static String text(float[] v) {
        StringJoiner j = new StringJoiner(",");
        for (float x : v) j.add(Float.toString(x));
        return j.toString();
    }

    private static float[] floats(String text) {
        String[] parts = text.split(",", -1);
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[i] + "' is not a number");
            }
        }
        return v;
    }
}
