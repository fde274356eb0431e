/**
 * Datasets for training and pruning: strict loaders, compact in-memory storage, seeded
 * augmentation and a background-thread batch loader.
 *
 * <p>The flow is: a loader ({@link dev.apoptosis.data.IdxFiles}, {@link dev.apoptosis.data.CifarBinary},
 * {@link dev.apoptosis.data.ImageFolder}, {@link dev.apoptosis.data.DigitsCsv}) reads files into a
 * {@link dev.apoptosis.data.ByteImageDataset}; {@link dev.apoptosis.data.DataSpec} picks loaders and
 * default transforms from a command-line string; a {@link dev.apoptosis.data.DataLoader} shuffles,
 * applies {@link dev.apoptosis.data.Transform}s and hands out {@link dev.apoptosis.data.Batch}es.
 *
 * <p>Loaders never half-load: any problem with a file (missing, wrong magic number, wrong size,
 * inconsistent counts, bad values) throws a {@link dev.apoptosis.data.DatasetException} naming the
 * file and what is wrong, before any dataset is returned.
 *
 * <p>Randomness (shuffling, augmentation) derives from {@code (seed, epoch)} and the sample's
 * position within the epoch only, so a run resumed at any epoch or batch sees the same batches.
 */
package dev.apoptosis.data;
