package dev.apoptosis.data;

/**
 * A train/test pair with the transforms to use on each: augmentation then normalisation for
 * training, normalisation only for testing.
 */
public record DataSplits(String name, Dataset train, Dataset test, Transform trainTransform, Transform testTransform) {

    /**
     * The per-channel normalisation of model inputs (the test transform when it is one), or null
     * when the test transform is something else: then inputs are not known to be normalised.
     */
    public Normalize normalization() {
        return testTransform instanceof Normalize n ? n : null;
    }

    /** A loader over the training split with its transform (shuffled, last partial batch dropped). */
    public DataLoader trainLoader(int batchSize, long seed) {
        return DataLoader.builder(train).batchSize(batchSize).seed(seed).shuffle(true).dropLast(true)
                .transform(trainTransform).build();
    }

    /** A loader over the test split with its transform (in order, every sample). */
    public DataLoader testLoader(int batchSize) {
        return DataLoader.builder(test).batchSize(batchSize).shuffle(false).dropLast(false)
                .transform(testTransform).build();
    }
}
