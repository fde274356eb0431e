package dev.apoptosis.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Small datasets for DataLoader tests. */
final class LoaderFixtures {
    private LoaderFixtures() {}

    /** n samples of [c, h, w] whose pixels identify the sample, labels i % classes. */
    static ByteImageDataset numbered(int n, int c, int h, int w, int classes) {
        int per = c * h * w;
        return new ByteImageDataset("numbered", TestFiles.patternPixels(n, per), labels(n, classes), new int[] {c, h, w},
                classes, List.of(), 255);
    }

    static int[] labels(int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = (i * 7) % classes;
        return l;
    }

    static List<Batch> drain(java.util.Iterator<Batch> it) {
        List<Batch> out = new ArrayList<>();
        while (it.hasNext()) out.add(it.next());
        return out;
    }

    /** Wraps a dataset, counting reads, optionally failing at one index or blocking until released. */
    static final class Instrumented implements Dataset {
        final Dataset base;
        final AtomicInteger reads = new AtomicInteger();
        volatile int failAt = -1;
        volatile CountDownLatch gate;

        Instrumented(Dataset base) {
            this.base = base;
        }

        @Override
        public String name() {
            return "instrumented";
        }

        @Override
        public int size() {
            return base.size();
        }

        @Override
        public int numClasses() {
            return base.numClasses();
        }

        @Override
        public int[] sampleShape() {
            return base.sampleShape();
        }

        @Override
        public List<String> classNames() {
            return base.classNames();
        }

        @Override
        public int label(int index) {
            return base.label(index);
        }

        @Override
        public int read(int index, float[] dst, int offset) {
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (index == failAt) throw new IllegalStateException("sample " + index + " is broken");
            reads.incrementAndGet();
            return base.read(index, dst, offset);
        }
    }
}
