package dev.apoptosis.data;

import dev.apoptosis.fuzz.FuzzTarget;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * The dataset readers as fuzz targets ({@link dev.apoptosis.fuzz}): IDX images and labels, CIFAR
 * binary records, the decoded-image cache and image folders inside a tar archive. They live here
 * because the cache and the label reader are package-private. Each builds its valid seed files
 * with this package's own writers or a few lines of format code, and seals mutated bytes the way an
 * attacker would: recomputed checksums (cache CRC-32C, tar header sums) or, for the gzip-capable
 * readers, the mutated file gzipped so the decompressing path is exercised too.
 */
public final class DataFuzzTargets {
    private static final byte[] CACHE_HASH = ImageCache.hash("fuzz");
    /** Per byte of the file: compressed data may expand 1032 times, labels are kept as 4-byte ints too. */
    private static final long COMPRESSED = 6 * 1032;

    private DataFuzzTargets() {}

    /** IDX unsigned-byte images (with a matching valid labels file next to each input). */
    public static FuzzTarget idxImages() {
        return new FuzzTarget("idx-images", DatasetException.class, dir -> List.of(idxImages(6, 5, 4), idxImages(6, 1, 1)),
                file -> {
                    Path labels = file.resolveSibling("labels-for-" + file.getFileName());
                    if (!Files.exists(labels)) Files.write(labels, idxLabels(new byte[] {0, 1, 2, 0, 1, 2}));
                    IdxFiles.load(file, labels, "fuzz", 0, List.of());
                }, DataFuzzTargets::maybeGzip, COMPRESSED);
    }

    /** IDX unsigned-byte labels. */
    public static FuzzTarget idxLabels() {
        return new FuzzTarget("idx-labels", DatasetException.class,
                dir -> List.of(idxLabels(new byte[] {0, 1, 2, 3, 1, 0, 9, 4, 5, 6, 7, 8}), idxLabels(new byte[0])),
                IdxFiles::readLabels, DataFuzzTargets::maybeGzip, COMPRESSED);
    }

    /** CIFAR-10 binary records (never gunzipped: a record may start with the gzip magic). */
    public static FuzzTarget cifarBinary() {
        return new FuzzTarget("cifar-binary", DatasetException.class, dir -> List.of(cifarRecords(3), cifarRecords(1)),
                file -> CifarBinary.load(List.of(file), 1, 0, 10, CifarBinary.CIFAR10_CLASSES, "fuzz"), FuzzTarget.Seal.NONE, 16);
    }

    /** The decoded-image cache; its reader reports a bad file as a reason, which is turned into the refusal. */
    public static FuzzTarget imageCache() {
        return new FuzzTarget("image-cache", DatasetException.class, DataFuzzTargets::cacheSeeds, file -> {
            ImageCache.Read r = ImageCache.read(file, CACHE_HASH, "fuzz");
            if (r.problem() != null) throw new DatasetException(file, r.problem());
        }, (b, r) -> sealCache(b), 16);
    }

    /**
     * An image-folder tree inside a tar archive, listed and decoded (no cache), as {@code cifar10} is;
     * a PNG may decode to 8 * 1032 pixels of 4 bytes per byte, hence the allocation allowance.
     */
    public static FuzzTarget tar() {
        return new FuzzTarget("tar", DatasetException.class, DataFuzzTargets::tarSeeds,
                file -> ImageFolder.loadTar(file, "root", null, "fuzz"), DataFuzzTargets::sealTar,
                40_000);
    }

    /** The digits CSV (text, but read from gzip like the binary formats): line and value checks. */
    public static FuzzTarget digitsCsv() {
        return new FuzzTarget("digits-csv", DatasetException.class, dir -> List.of(digitsLines(3), digitsLines(1)),
                file -> DigitsCsv.load(file, "fuzz"), DataFuzzTargets::maybeGzip, COMPRESSED);
    }

    // ------------------------------------------------------------------ seeds

    private static byte[] digitsLines(int n) {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < DigitsCsv.PIXELS; k++) b.append((k * 7 + r) % 17).append(',');
            b.append(r % 10).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(IdxFiles.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) b.put((byte) (i * 37));
        return b.array();
    }

    private static byte[] idxLabels(byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(IdxFiles.LABELS_MAGIC).putInt(labels.length).put(labels).array();
    }

    private static byte[] cifarRecords(int n) {
        byte[] b = new byte[n * (1 + CifarBinary.IMAGE_BYTES)];
        for (int r = 0; r < n; r++) {
            int at = r * (1 + CifarBinary.IMAGE_BYTES);
            b[at] = (byte) (r % 10);
            for (int k = 1; k <= CifarBinary.IMAGE_BYTES; k++) b[at + k] = (byte) (k * 7 + r);
        }
        return b;
    }

    private static List<byte[]> cacheSeeds(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] pixels = new byte[4 * 3 * 2 * 2];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 11);
        ByteImageDataset ds = new ByteImageDataset("fuzz", pixels, new int[] {0, 1, 2, 1}, new int[] {3, 2, 2}, 3,
                List.of("cat", "dog", "émeu"), 255);
        Path f = dir.resolve("seed.imgcache");
        ImageCache.write(f, ds, CACHE_HASH);
        return List.of(Files.readAllBytes(f));
    }

    private static List<byte[]> tarSeeds(Path dir) throws IOException {
        TarBuilder t = new TarBuilder();
        t.dir("root/").dir("root/a/").file("root/a/1.png", png(4, 3, 1)).file("root/a/2.png", png(4, 3, 2))
                .dir("root/b/").file("root/b/1.png", png(4, 3, 3)).file("other/readme.txt", "x".getBytes(StandardCharsets.UTF_8));
        return List.of(t.bytes());
    }

    private static byte[] png(int w, int h, int seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 60 + seed * 20) << 16 | (y * 80) << 8 | seed * 40);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this JVM");
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ seals

    private static byte[] maybeGzip(byte[] b, SplittableRandom r) throws IOException {
        if (r.nextBoolean()) return b;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] sealCache(byte[] b) {
        if (b.length < 4) return b;
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
        return b;
    }

    /** Recomputes the checksum of every 512-byte block that looks like a ustar header, then maybe gzips. */
    private static byte[] sealTar(byte[] b, SplittableRandom r) throws IOException {
        for (int at = 0; at + 512 <= b.length; at += 512) {
            if (b[at + 257] == 'u' && b[at + 258] == 's' && b[at + 259] == 't' && b[at + 260] == 'a' && b[at + 261] == 'r') {
                TarBuilder.checksum(b, at);
            }
        }
        return maybeGzip(b, r);
    }

    /** A minimal ustar writer for the seeds. */
    private static final class TarBuilder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        TarBuilder dir(String name) {
            header(name, 0, '5');
            return this;
        }

        TarBuilder file(String name, byte[] content) {
            header(name, content.length, '0');
            out.writeBytes(content);
            out.writeBytes(new byte[(512 - content.length % 512) % 512]);
            return this;
        }

        private void header(String name, long size, char type) {
            byte[] h = new byte[512];
            put(h, 0, name);
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", size));
            put(h, 136, String.format("%011o", 1_700_000_000L));
            h[156] = (byte) type;
            put(h, 257, "ustar");
            h[263] = '0';
            h[264] = '0';
            checksum(h, 0);
            out.writeBytes(h);
        }

        static void checksum(byte[] b, int at) {
            for (int i = 148; i < 156; i++) b[at + i] = ' ';
            long sum = 0;
            for (int i = 0; i < 512; i++) sum += b[at + i] & 0xFF;
            put(b, at + 148, String.format("%06o", sum));
            b[at + 154] = 0;
            b[at + 155] = ' ';
        }

        private static void put(byte[] h, int off, String s) {
            byte[] v = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(v, 0, h, off, v.length);
        }

        byte[] bytes() {
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }
    }
}
