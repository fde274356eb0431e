package dev.apoptosis.train;

import dev.apoptosis.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which classes a training split actually holds, checked before training.
 *
 * <p>Data whose labels are all equal (one class folder, a labels file of a single value) trains a
 * model that always answers that class and scores 100% on a test split like it: success in
 * appearance only. So fewer than two distinct labels is an error. Classes without any training
 * sample can be meant (a subset of a larger label set), so they are a loud warning naming them, not
 * an error: the model will never learn to predict them.
 */
public final class ClassCoverage {
    private static final Logger LOG = LoggerFactory.getLogger(ClassCoverage.class);

    private ClassCoverage() {}

    /** Refuses a training split with fewer than two distinct labels; warns about classes with no sample. */
    public static void check(Dataset train, String dataName) {
        int classes = train.numClasses();
        long[] count = new long[Math.max(classes, 1)];
        for (int i = 0; i < train.size(); i++) count[train.label(i)]++;
        List<String> empty = new ArrayList<>();
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (count[c] > 0) present++;
            else empty.add(name(train, c));
        }
        if (present < 2) {
            throw new IllegalArgumentException("data '" + dataName + "': the training split " + train.name() + " holds "
                    + (present == 0 ? "no samples" : "samples of one class only (" + name(train, firstPresent(count)) + ")")
                    + "; a classifier needs at least two classes to learn anything");
        }
        if (!empty.isEmpty()) {
            LOG.warn("data '{}': {} of {} classes have no training sample and will never be predicted: {}", dataName,
                    empty.size(), classes, empty.size() > 20 ? String.join(", ", empty.subList(0, 20)) + ", ..." : String.join(", ", empty));
        }
    }

    private static int firstPresent(long[] count) {
        for (int c = 0; c < count.length; c++) if (count[c] > 0) return c;
        return 0;
    }

    private static String name(Dataset d, int c) {
        List<String> names = d.classNames();
        return c < names.size() ? "'" + names.get(c) + "' (" + c + ")" : Integer.toString(c);
    }
}
