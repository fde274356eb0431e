package dev.apoptosis.data;

import java.util.List;

/** A view of chosen samples of another dataset, in the order given; used for fixed splits. */
public final class SubsetDataset implements Dataset {
    private final String name;
    private final Dataset base;
    private final int[] indices;

    /** {@code indices} (copied) must lie in {@code [0, base.size())}. */
    public SubsetDataset(String name, Dataset base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) {
                throw new IllegalArgumentException(name + ": index " + i + " outside [0, " + base.size() + ") of " + base.name());
            }
        }
        this.name = name;
        this.base = base;
        this.indices = indices.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return indices.length;
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
    public int sampleSize() {
        return base.sampleSize();
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public int read(int index, float[] dst, int offset) {
        return base.read(indices[index], dst, offset);
    }

    /** Which base sample {@code index} refers to. */
    public int baseIndex(int index) {
        return indices[index];
    }
}
