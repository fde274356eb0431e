package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.checkpoint.Checkpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Class names kept in checkpoint metadata: round trip, and the check that data labels mean the same classes. */
class ClassNamesTest {
    @Test
    void roundTripKeepsOrderSpacesAndEmptyNames() {
        List<String> names = List.of("T-shirt/top", "a, b", " spaced ", "", "ünïcödé");
        Map<String, String> meta = new HashMap<>();
        ClassNames.record(names, meta, "d");
        assertEquals(names, ClassNames.recorded(meta));
        ClassNames.record(List.of(), meta, "d");
        assertTrue(meta.isEmpty(), meta.toString());
        assertEquals(List.of(), ClassNames.recorded(meta));
        var e = assertThrows(IllegalArgumentException.class, () -> ClassNames.record(List.of("a", "b\nc"), meta, "data 'folder:x'"));
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
        assertTrue(e.getMessage().startsWith("data 'folder:x': class name 'b\nc'"), e.getMessage());
        assertTrue(!meta.containsKey(Checkpoint.Meta.CLASSES), "nothing recorded after the error");
    }

    @Test
    void differentClassesAreNamedWhereTheyFirstDiffer() {
        List<String> model = List.of("cat", "dog", "frog");
        assertDoesNotThrow(() -> ClassNames.requireSame(model, List.of("cat", "dog", "frog"), "x"));
        assertDoesNotThrow(() -> ClassNames.requireSame(model, List.of(), "x"), "unknown data classes cannot be checked");
        assertDoesNotThrow(() -> ClassNames.requireSame(List.of(), model, "x"), "unknown model classes cannot be checked");
        var shifted = assertThrows(IllegalArgumentException.class, () -> ClassNames.requireSame(model, List.of("cat", "frog"), "m on d"));
        assertTrue(shifted.getMessage().startsWith("m on d: the class names differ (label 1 is 'dog' for the model but 'frog' in the data)"),
                shifted.getMessage());
        var extra = assertThrows(IllegalArgumentException.class, () -> ClassNames.requireSame(model, List.of("cat", "dog", "frog", "owl"), "x"));
        assertTrue(extra.getMessage().contains("the model has 3 classes, the data 4"), extra.getMessage());
    }
}
