package dev.apoptosis.data;

import dev.apoptosis.tensor.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands out mini-batches of a {@link Dataset}, prepared on a background thread so the training
 * loop only waits when loading is slower than computing.
 *
 * <p><b>Order and randomness.</b> An epoch visits every sample exactly once, in dataset order or
 * (with shuffling) in a permutation drawn from {@code (seed, epoch)}; each sample's transform draws
 * from a stream derived from {@code (seed, epoch, position in the epoch)}. Epoch {@code e}, or any
 * batch of it, is therefore the same in every run with the same seed, whether started from the
 * beginning or resumed with {@link #epoch(int, int)}. The last, smaller batch is kept unless
 * {@code dropLast} is set.
 *
 * <p><b>Threads.</b> {@link #epoch} starts one worker thread that fills a bounded queue of
 * {@code prefetch} batches and blocks when it is full. Starting another epoch, closing the epoch or
 * closing the loader stops that worker and waits for it to end. An exception in the worker reaches
 * the consumer as a {@link DataLoaderException} from {@link Epoch#hasNext()} or {@link Epoch#next()},
 * after the batches built before it.
 */
public final class DataLoader implements AutoCloseable {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Transform transform;
    private final int prefetch;
    private final int[] inShape;
    private final int[] outShape;
    private Epoch current;
    private boolean closed;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.transform = b.transform;
        this.prefetch = b.prefetch;
        this.inShape = dataset.sampleShape();
        this.outShape = transform == null ? inShape.clone() : transform.outputShape(inShape);
    }

    /** Starts configuring a loader over {@code dataset}. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Loader settings; defaults: batch 128, shuffle on, seed 0, keep the last batch, no transform, prefetch 4. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 128;
        private boolean shuffle = true;
        private long seed;
        private boolean dropLast;
        private Transform transform;
        private int prefetch = 4;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        public Builder batchSize(int n) {
            if (n < 1) throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + n);
            batchSize = n;
            return this;
        }

        public Builder shuffle(boolean on) {
            shuffle = on;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder dropLast(boolean on) {
            dropLast = on;
            return this;
        }

        /** The per-sample transform, or null for none. */
        public Builder transform(Transform t) {
            transform = t;
            return this;
        }

        /** How many ready batches the worker may hold ahead of the consumer (at least 1). */
        public Builder prefetch(int n) {
            if (n < 1) throw new IllegalArgumentException("DataLoader: prefetch must be >= 1, got " + n);
            prefetch = n;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The shape [C, H, W] of one sample after the transform. */
    public int[] sampleShape() {
        return outShape.clone();
    }

    /** Number of batches in one epoch. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the dataset. */
    public int[] order(int epoch) {
        int n = dataset.size();
        if (!shuffle) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            return p;
        }
        return Seeds.permutation(n, Seeds.shuffle(seed, epoch));
    }

    /** Starts epoch {@code epoch} from its first batch; see {@link #epoch(int, int)}. */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * Starts producing epoch {@code epoch} from batch {@code firstBatch} (to resume a run). Any epoch
     * still running is stopped first.
     */
    public synchronized Epoch epoch(int epoch, int firstBatch) {
        if (closed) throw new IllegalStateException("DataLoader: closed");
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("DataLoader: first batch " + firstBatch + " outside [0, "
                    + batchesPerEpoch() + "]");
        }
        if (current != null) current.close();
        current = new Epoch(epoch, firstBatch);
        return current;
    }

    /** Stops the running epoch, if any, and waits for its worker to end. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) current.close();
        current = null;
    }

    /**
     * Samples {@code [from, to)} of batch {@code b} of epoch {@code epoch}, built now on the calling
     * thread: the same images, labels and augmentation draws as those positions of the batch the
     * epoch's iterator hands out. For data-parallel training, where each worker builds its part of a
     * batch and nothing else.
     */
    public Batch part(int epoch, int b, int from, int to) {
        if (b < 0 || b >= batchesPerEpoch()) throw new IllegalArgumentException("DataLoader: batch " + b + " outside [0, " + batchesPerEpoch() + ")");
        int n = Math.min(batchSize, dataset.size() - b * batchSize);
        if (from < 0 || to > n || from >= to) throw new IllegalArgumentException("DataLoader: part [" + from + ", " + to + ") of a batch of " + n);
        return build(epoch, b, order(epoch), new float[dataset.sampleSize()], from, to);
    }

    /** Builds batch {@code b} of an epoch; runs on the worker thread. */
    private Batch build(int epoch, int b, int[] order, float[] scratch) {
        return build(epoch, b, order, scratch, 0, Math.min(batchSize, order.length - b * batchSize));
    }

    /** Samples {@code [from, to)} of batch {@code b}. */
    private Batch build(int epoch, int b, int[] order, float[] scratch, int from, int to) {
        int start = b * batchSize + from;
        int n = to - from;
        int out = outShape[0] * outShape[1] * outShape[2];
        float[] images = new float[n * out];
        int[] labels = new int[n];
        int[] indices = new int[n];
        for (int k = 0; k < n; k++) {
            int pos = start + k;
            int idx = order[pos];
            indices[k] = idx;
            if (transform == null) {
                labels[k] = dataset.read(idx, images, k * out);
            } else {
                labels[k] = dataset.read(idx, scratch, 0);
                transform.apply(scratch, 0, inShape, images, k * out, Seeds.augment(seed, epoch, pos));
            }
        }
        return new Batch(Tensor.wrap(images, new int[] {n, outShape[0], outShape[1], outShape[2]}), labels, indices, epoch, b);
    }

    private static final Object END = new Object();
    private static final Object CLOSED = new Object();

    private record Failure(Throwable error, int batch) {}

    /** The batches of one epoch, in order; also stops its worker when closed. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final int epoch;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(prefetch);
        private final Thread worker;
        private volatile boolean cancelled;
        private Object head;
        private boolean done;
        private long waitNanos;

        private Epoch(int epoch, int firstBatch) {
            this.epoch = epoch;
            int batches = batchesPerEpoch();
            worker = new Thread(() -> produce(firstBatch, batches), "apoptosis-data-" + dataset.name() + "-epoch-" + epoch);
            worker.setDaemon(true);
            worker.start();
        }

        private void produce(int firstBatch, int batches) {
            int b = firstBatch;
            try {
                int[] order = order(epoch);
                float[] scratch = new float[dataset.sampleSize()];
                for (; b < batches && !cancelled; b++) queue.put(build(epoch, b, order, scratch));
                if (!cancelled) queue.put(END);
            } catch (InterruptedException e) {
                // cancelled while waiting for room: just stop
            } catch (Throwable t) {
                if (cancelled) return;
                try {
                    queue.put(new Failure(t, b));
                } catch (InterruptedException ignored) {
                    // cancelled while reporting: nobody is listening any more
                }
            }
        }

        /** The epoch number. */
        public int epoch() {
            return epoch;
        }

        /** Total time the consumer spent waiting for batches, in nanoseconds (0 if never starved). */
        public long waitNanos() {
            return waitNanos;
        }

        @Override
        public boolean hasNext() {
            if (head == null && !done) {
                long t0 = System.nanoTime();
                try {
                    head = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", e);
                } finally {
                    waitNanos += System.nanoTime() - t0;
                }
            }
            if (cancelled && !done) {
                // Closed, here or by another thread while this one waited: whatever was taken is stale.
                head = null;
                throw new IllegalStateException("DataLoader: epoch " + epoch + " of " + dataset.name() + " was closed");
            }
            if (head == END) {
                done = true;
                head = null;
            } else if (head == CLOSED) {
                throw new IllegalStateException("DataLoader: epoch " + epoch + " of " + dataset.name() + " was closed");
            } else if (head instanceof Failure f) {
                throw new DataLoaderException("DataLoader: worker failed building batch " + f.batch() + " of epoch "
                        + epoch + " of " + dataset.name() + ": " + f.error(), f.error());
            }
            return !done;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: epoch " + epoch + " has no more batches");
            Batch b = (Batch) head;
            head = null;
            return b;
        }

        /** Stops the worker and waits for it; later calls to {@link #hasNext()} throw. Idempotent. */
        @Override
        public void close() {
            if (cancelled) return;
            cancelled = true;
            worker.interrupt();
            boolean interrupted = false;
            while (true) {
                try {
                    worker.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            // Wake a consumer that may be blocked in take() on another thread; it then sees cancelled.
            // (close() never writes head: that field belongs to the consumer's thread.)
            queue.clear();
            queue.offer(CLOSED);
        }

        /** True once the worker thread has ended (for tests of clean shutdown). */
        public boolean workerFinished() {
            return !worker.isAlive();
        }
    }
}
