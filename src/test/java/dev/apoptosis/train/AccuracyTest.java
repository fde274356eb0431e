package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Top-1/top-5 counting against a sort-based reference. */
class AccuracyTest {
    @Test
    void topKMatchesSortedReference() {
        Random r = new Random(3);
        int n = 200, c = 10;
        Tensor z = Tensor.randn(r, 1f, n, c);
        // Quantise to create ties, which the rule breaks by class index.
        for (int i = 0; i < z.size(); i++) z.setAt(i, Math.round(z.at(i) * 2) / 2f);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(c);
        Accuracy a = new Accuracy();
        a.add(z.slice0(0, 120), java.util.Arrays.copyOfRange(y, 0, 120), 1.0);
        a.add(z.slice0(120, n), java.util.Arrays.copyOfRange(y, 120, n), 2.0);
        int h1 = 0, h5 = 0;
        for (int i = 0; i < n; i++) {
            Integer[] order = new Integer[c];
            for (int j = 0; j < c; j++) order[j] = j;
            final int row = i;
            java.util.Arrays.sort(order, (p, q) -> Float.compare(z.get(row, q), z.get(row, p))); // stable: ties keep index order
            for (int k = 0; k < 5; k++) {
                if (order[k] == y[i]) {
                    if (k == 0) h1++;
                    h5++;
                }
            }
        }
        assertEquals(n, a.samples());
        assertEquals((double) h1 / n, a.top1(), 0);
        assertEquals((double) h5 / n, a.top5(), 0);
        assertEquals((120 * 1.0 + 80 * 2.0) / n, a.loss(), 1e-12);
    }

    @Test
    void labelOutOfRangeIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> new Accuracy().add(Tensor.zeros(1, 3), new int[] {3}, 0));
    }
}
