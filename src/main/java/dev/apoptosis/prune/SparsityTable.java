package dev.apoptosis.prune;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-parameter sparsity of an unstructured-pruned (masked) graph: entries, entries the mask keeps,
 * and the fraction removed, with a total row. Dense parameters are listed too, so the table shows
 * where the zeros are.
 */
public record SparsityTable(List<Row> rows, long entries, long kept) {

    public record Row(String parameter, long entries, long kept) {
        public double sparsity() {
            return entries == 0 ? 0 : 1 - (double) kept / entries;
        }
    }

    public static SparsityTable of(Graph g) {
        List<Row> rows = new ArrayList<>();
        long n = 0, k = 0;
        for (Parameter p : g.parameters()) {
            Row r = new Row(p.name(), p.size(), p.keptEntries());
            rows.add(r);
            n += r.entries();
            k += r.kept();
        }
        return new SparsityTable(rows, n, k);
    }

    public double sparsity() {
        return entries == 0 ? 0 : 1 - (double) kept / entries;
    }

    /** Text table: parameter, entries, kept, sparsity; then the total. */
    public String format() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-36s %12s %12s %9s%n", "parameter", "entries", "kept", "sparsity"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-36s %,12d %,12d %8.2f%%%n", r.parameter(), r.entries(), r.kept(), 100 * r.sparsity()));
        }
        b.append(String.format(Locale.ROOT, "%-36s %,12d %,12d %8.2f%%%n", "total", entries, kept, 100 * sparsity()));
        return b.toString();
    }
}
