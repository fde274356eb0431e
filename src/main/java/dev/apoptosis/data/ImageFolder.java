package dev.apoptosis.data;

import dev.apoptosis.io.DeclaredSize;
import dev.apoptosis.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an image-folder split ({@code <root>/<class>/<image>}, torchvision's {@code ImageFolder}
 * layout) from a directory or from inside a tar archive, decoding every image once into a
 * {@link ByteImageDataset} of RGB [3, H, W] and keeping the result in a cache file.
 *
 * <p>All images must have one size; the first one that differs is named in the error. Decoding
 * runs on the kernel thread pool with dynamic work sharing (each worker takes the next image
 * index), and the outcome does not depend on the thread count: every image lands at its own index,
 * and of several failures the one with the lowest index is reported.
 *
 * <p>The cache lives in {@code cacheDir} (null disables it) under a name derived from the source's
 * location. It is reused when its fingerprint matches the source's current one (see
 * {@link ImageSource#fingerprint()}); a stale, corrupt or unreadable cache is rebuilt, with a log
 * line saying why.
 */
public final class ImageFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);

    /** What happened to the cache on a load. */
    public enum CacheStatus {
        /** Loaded from a valid cache; nothing was decoded. */
        HIT,
        /** No cache existed; decoded and written. */
        CREATED,
        /** A cache existed but was stale, corrupt or unreadable; decoded and rewritten. */
        REBUILT,
        /** Caching disabled (no cache folder); decoded only. */
        UNCACHED
    }

    /** The dataset plus what the cache did and why. */
    public record Loaded(ByteImageDataset dataset, CacheStatus cacheStatus, String detail, Path cacheFile) {}

    private ImageFolder() {}

    /** Loads the image folder at {@code root}; {@code cacheDir} may be null to disable caching. */
    public static Loaded loadFolder(Path root, Path cacheDir, String name) throws IOException {
        return load(new FolderImageSource(root), cacheDir, name);
    }

    /** Loads {@code <prefix>/<class>/<image>} entries of a (gzipped) tar archive. */
    public static Loaded loadTar(Path archive, String prefix, Path cacheDir, String name) throws IOException {
        return load(new TarImageSource(archive, prefix), cacheDir, name);
    }

    static Loaded load(ImageSource source, Path cacheDir, String name) throws IOException {
        if (cacheDir == null) return new Loaded(decodeAll(source, name), CacheStatus.UNCACHED, "caching disabled", null);
        Path file = cacheDir.resolve(ImageCache.fileName(name, source.identity()));
        byte[] fingerprint = ImageCache.hash(source.fingerprint());
        ImageCache.Read cached = ImageCache.read(file, fingerprint, name);
        if (cached.dataset() != null) {
            LOG.debug("{}: loaded decoded images from cache {}", source.describe(), file);
            return new Loaded(cached.dataset(), CacheStatus.HIT, "cache valid", file);
        }
        boolean existed = java.nio.file.Files.exists(file);
        if (existed) LOG.info("{}: rebuilding image cache {} ({})", source.describe(), file, cached.problem());
        ByteImageDataset ds = decodeAll(source, name);
        try {
            ImageCache.write(file, ds, fingerprint);
        } catch (IOException e) {
            // The data itself is fine; only the speed-up is lost, so warn instead of failing the run.
            LOG.warn("{}: could not write image cache {}: {}", source.describe(), file, e.toString());
            return new Loaded(ds, existed ? CacheStatus.REBUILT : CacheStatus.CREATED,
                    "cache write failed: " + e, file);
        }
        return new Loaded(ds, existed ? CacheStatus.REBUILT : CacheStatus.CREATED,
                existed ? cached.problem() : "no cache file", file);
    }

    /** Decodes every image of {@code source} in parallel. */
    static ByteImageDataset decodeAll(ImageSource source, String name) throws IOException {
        ImageSource.Listing listing = source.list();
        List<ImageSource.Item> items = listing.items();
        int n = items.size();
        ImageDecoder.Size first;
        try (ImageDecoder d = new ImageDecoder()) {
            first = d.decodeRgb(items.get(0).bytes(), items.get(0).path(), null, 0, 0, 0);
        }
        int w = first.width(), h = first.height();
        int per = 3 * w * h; // w * h is bounded by the first file's size (ImageDecoder), so this fits
        byte[] pixels = new byte[DeclaredSize.arrayLength((long) per * n, 1, Long.MAX_VALUE, n + " images of " + w + "x" + h,
                problem -> new DatasetException(source.describe() + ": " + problem))];
        int[] labels = new int[n];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Failure> failure = new AtomicReference<>();
        // At most one worker per image: 1000 threads for 40 images only cost start-up time.
        Parallel.forRange(Math.min(n, Parallel.threads()), 1, (lo, hi) -> {
            try (ImageDecoder dec = new ImageDecoder()) {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                    Failure f = failure.get();
                    if (f != null && f.index < i) continue; // a lower index already failed
                    ImageSource.Item item = items.get(i);
                    try {
                        ImageDecoder.Size s = dec.decodeRgb(item.bytes(), item.path(), pixels, i * per, w, h);
                        if (s.width() != w || s.height() != h) {
                            throw new DatasetException(item.path() + ": image is " + s.width() + "x" + s.height()
                                    + ", but " + items.get(0).path() + " is " + w + "x" + h
                                    + "; all images of a folder dataset must have one size");
                        }
                        labels[i] = item.label();
                    } catch (IOException | RuntimeException e) {
                        Failure mine = new Failure(i, e);
                        failure.accumulateAndGet(mine, (a, b) -> a == null || b.index < a.index ? b : a);
                    }
                }
            }
        });
        Failure f = failure.get();
        if (f != null) {
            if (f.error instanceof IOException io) throw io;
            throw new DatasetException(items.get(f.index).path() + ": " + f.error, f.error);
        }
        return new ByteImageDataset(name, pixels, labels, new int[] {3, h, w}, listing.classes().size(),
                listing.classes(), 255);
    }

    private record Failure(int index, Exception error) {}
}
