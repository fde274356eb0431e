package dev.apoptosis.report;

import java.util.Map;

/** Colours: one fixed colour per criterion (the same in every report), then a cycle for anything else. */
final class Palette {
    private static final Map<String, String> CRITERIA = Map.of("oba", "#1f6fb4", "magnitude", "#e07b00", "exact", "#2a9d4b",
            "obd", "#9b4dca", "taylor", "#c8324a");
    private static final String[] CYCLE = {"#1f6fb4", "#e07b00", "#2a9d4b", "#9b4dca", "#c8324a", "#5c6b73", "#b8860b", "#17a2b8"};
    static final String BEFORE = "#b9c0c7";

    private Palette() {}

    static String criterion(String name, int index) {
        return CRITERIA.getOrDefault(name, cycle(index));
    }

    /** {@code preferred}, or if a series already has it, the first colour of the cycle that none has. */
    static String unused(String preferred, java.util.Collection<String> used) {
        if (!used.contains(preferred)) return preferred;
        for (String c : EXTRA) if (!used.contains(c)) return c;
        for (String c : CYCLE) if (!used.contains(c)) return c;
        return preferred;
    }

    /** Colours no criterion owns, for a second run of the same criterion. */
    private static final String[] EXTRA = {"#5c6b73", "#b8860b", "#17a2b8", "#7a9a01", "#a0522d"};

    static String cycle(int i) {
        return CYCLE[Math.floorMod(i, CYCLE.length)];
    }
}
