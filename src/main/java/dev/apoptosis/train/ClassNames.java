package dev.apoptosis.train;

import dev.apoptosis.checkpoint.Checkpoint;
import java.util.List;
import java.util.Map;

/**
 * The class names of a model's outputs, kept in its checkpoint's metadata ({@link Checkpoint.Meta#CLASSES},
 * one name per line) so that predictions can be named and evaluation can refuse data whose labels mean
 * other classes (a folder dataset numbers its classes by sorted folder names, so one missing or extra
 * class shifts every label after it).
 */
public final class ClassNames {
    private ClassNames() {}

    /**
     * Writes {@code names} into {@code metadata}, or removes the key when the list is empty (a format
     * without names); a name with a line break is an error naming {@code where} (the dataset).
     */
    public static void record(List<String> names, Map<String, String> metadata, String where) {
        if (names.isEmpty()) {
            metadata.remove(Checkpoint.Meta.CLASSES);
            return;
        }
        for (String n : names) {
            if (n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(where + ": class name '" + n + "' contains a line break: it cannot be recorded in a checkpoint");
            }
        }
        metadata.put(Checkpoint.Meta.CLASSES, String.join("\n", names));
    }

    /** The class names recorded in {@code metadata}, or an empty list when none are. */
    public static List<String> recorded(Map<String, String> metadata) {
        String text = metadata.get(Checkpoint.Meta.CLASSES);
        return text == null ? List.of() : List.of(text.split("\n", -1));
    }

    /**
     * Checks that {@code data}'s class names (empty: unknown) are those the model was trained on
     * ({@code trained}, empty: unknown), and throws an {@link IllegalArgumentException} saying
     * {@code what} and where they first differ.
     */
    public static void requireSame(List<String> trained, List<String> data, String what) {
        if (trained.isEmpty() || data.isEmpty() || trained.equals(data)) return;
        int i = 0;
        while (i < Math.min(trained.size(), data.size()) && trained.get(i).equals(data.get(i))) i++;
        String where = i < Math.min(trained.size(), data.size())
                ? "label " + i + " is '" + trained.get(i) + "' for the model but '" + data.get(i) + "' in the data"
                : "the model has " + trained.size() + " classes, the data " + data.size();
        throw new IllegalArgumentException(what + ": the class names differ (" + where + "); model: " + trained + ", data: " + data);
    }
}
