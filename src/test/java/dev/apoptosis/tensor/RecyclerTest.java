package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Recycler}: exact lengths, one taker per array, poisoning (the suite's setting). */
class RecyclerTest {
    /** A length no other test uses, so that concurrent test classes do not take these arrays. */
    private static final int LENGTH = Math.max(Recycler.MIN_LENGTH, 1 << 14) + 12_345;

    @Test
    void anArrayGivenBackIsTakenOnceAndOnlyAtItsLength() {
        float[] a = new float[LENGTH];
        Recycler.give(a);
        assertNotSame(a, Recycler.take(LENGTH + 1), "another length gets another array");
        assertSame(a, Recycler.take(LENGTH), "the given array comes back");
        assertNotSame(a, Recycler.take(LENGTH), "and only once");
    }

    @Test
    void givingAnArrayBackTwiceIsAnError() {
        float[] a = new float[LENGTH + 1];
        Recycler.give(a);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Recycler.give(a));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        Recycler.take(LENGTH + 1);
    }

    @Test
    void poisoningFillsWhatIsGivenBackAndHandedOutWithNaN() {
        if (!Recycler.POISON) return;  // the suite runs with -Dapoptosis.poisonRecycled=true
        float[] a = new float[LENGTH + 2];
        java.util.Arrays.fill(a, 1f);
        Recycler.give(a);
        assertTrue(Float.isNaN(a[0]) && Float.isNaN(a[a.length - 1]), "given back: NaN");
        float[] fresh = Recycler.take(LENGTH + 3);
        assertTrue(Float.isNaN(fresh[0]) && Float.isNaN(fresh[fresh.length - 1]), "handed out: NaN");
        Recycler.take(LENGTH + 2);
    }
}
