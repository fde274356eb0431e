package dev.apoptosis.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The progress display with a fake clock: in-place redraws on a terminal, throttled lines in logs. */
class ProgressBarTest {
    long now;

    TrainListener.BatchEvent batch(int b, int timed, double seconds) {
        return new TrainListener.BatchEvent(2, 10, b, 100, 0.5, 0.6, 0.75, 0.01, timed, timed * 32L, seconds);
    }

    @Test
    void lineShowsEpochBatchEtaThroughputLossAndAccuracy() {
        String s = ProgressBar.line(batch(9, 10, 5.0));
        assertTrue(s.startsWith("epoch 3/10 [==>"), s);
        assertTrue(s.contains("10/100"), s);
        assertTrue(s.contains("ETA 0:45"), s); // 90 batches left at 0.5 s each
        assertTrue(s.contains("64 img/s"), s); // 320 images in 5 s
        assertTrue(s.contains("loss 0.6000") && s.contains("acc 75.00%"), s);
        // After a resume only the batches of this run are timed: 5 timed batches in 5 s -> 1 s per batch.
        assertTrue(ProgressBar.line(batch(59, 5, 5.0)).contains("ETA 0:40"));
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }

    @Test
    void terminalStyleRedrawsInPlaceAtMostTenTimesASecond() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar p = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), ProgressBar.Style.BAR, 30, () -> now);
        for (int b = 0; b < 50; b++) {
            now = b * 10_000_000L; // 10 ms per batch: 0.5 s in all
            p.onBatch(batch(b, b + 1, b * 0.01));
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        long draws = out.chars().filter(c -> c == '\r').count();
        assertTrue(draws >= 5 && draws <= 6, draws + " redraws");
        assertTrue(out.contains("\033[K"));
        assertFalse(out.contains("\n"), "a terminal bar must not scroll");
        p.onEpoch(new TrainListener.EpochEvent(2, 10, 0.4, 0.8, new EvalResult(100, 0.3, 0.9, 1.0), 12, Path.of("m.ckpt")));
        String end = buf.toString(StandardCharsets.UTF_8).substring(out.length());
        assertTrue(end.startsWith("\r\033[K") && end.contains("epoch 3/10 done in 0:12") && end.contains("top-1 90.00%")
                && end.endsWith("m.ckpt\n"), end);
    }

    @Test
    void logStylePrintsAFullLineEveryInterval() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar p = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), ProgressBar.Style.LINES, 30, () -> now);
        for (int b = 0; b < 99; b++) {
            now = b * 1_000_000_000L; // 1 s per batch: lines at 0, 30, 60, 90 s
            p.onBatch(batch(b, b + 1, b));
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(4, out.lines().count(), out);
        assertFalse(out.contains("\r"));
    }
}
