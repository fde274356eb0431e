package dev.apoptosis.runs;

import dev.apoptosis.checkpoint.EpochRecord;
import dev.apoptosis.train.TrainListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A training listener that appends every finished epoch to a run directory's {@code epochs.jsonl}
 * and passes every event on to another listener (the progress display).
 */
public final class EpochRecorder implements TrainListener {
    private final RunDirectory records;
    private final TrainListener next;

    public EpochRecorder(RunDirectory records, TrainListener next) {
        this.records = records;
        this.next = next;
    }

    @Override
    public void onStart(int startEpoch, int startBatch, int epochs, int batchesPerEpoch) {
        next.onStart(startEpoch, startBatch, epochs, batchesPerEpoch);
    }

    @Override
    public void onBatch(BatchEvent e) {
        next.onBatch(e);
    }

    @Override
    public void onCheckpoint(Path file, int epoch, int batch) {
        next.onCheckpoint(file, epoch, batch);
    }

    @Override
    public void onEpoch(EpochEvent e) {
        boolean test = e.test() != null;
        try {
            records.appendEpoch(new EpochRecord(e.epoch() + 1, e.trainLoss(), e.trainTop1(), test ? e.test().loss() : Double.NaN,
                    test ? e.test().top1() : Double.NaN, test ? e.test().top5() : Double.NaN, e.seconds()));
        } catch (IOException x) {
            throw new UncheckedIOException("cannot append to " + records.dir().resolve(RunDirectory.EPOCHS) + ": " + x.getMessage(), x);
        }
        next.onEpoch(e);
    }
}
