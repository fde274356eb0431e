package dev.apoptosis.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writers for small generated dataset files used by the loader tests. */
final class TestFiles {
    private TestFiles() {}

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        }
        return bo.toByteArray();
    }

    static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** IDX images: magic, count, rows, cols, then {@code pixels}. */
    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, magic);
        writeInt(out, count);
        writeInt(out, rows);
        writeInt(out, cols);
        out.writeBytes(pixels);
        return out.toByteArray();
    }

    /** IDX labels: magic, count, then the labels. */
    static byte[] idxLabels(int magic, int[] labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, magic);
        writeInt(out, labels.length);
        for (int l : labels) out.write(l);
        return out.toByteArray();
    }

    /** A deterministic pixel pattern: value of sample i at flat position k. */
    static int pattern(int i, int k) {
        return (i * 37 + k * 11 + (k >> 3) * 5) & 0xFF;
    }

    static byte[] patternPixels(int count, int per) {
        byte[] p = new byte[count * per];
        for (int i = 0; i < count; i++) for (int k = 0; k < per; k++) p[i * per + k] = (byte) pattern(i, k);
        return p;
    }

    /** CIFAR records: label bytes then 3072 pixel bytes of {@link #pattern}(seed + r, k). */
    static byte[] cifarRecords(int[][] labels, int seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < labels.length; r++) {
            for (int l : labels[r]) out.write(l);
            for (int k = 0; k < 3072; k++) out.write(pattern(seed + r, k));
        }
        return out.toByteArray();
    }

    /** An RGB image whose pixel (x, y) has channels {@code f(x, y, c)}. */
    interface PixelFn {
        int value(int x, int y, int c);
    }

    static BufferedImage rgbImage(int w, int h, PixelFn f) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (f.value(x, y, 0) << 16) | (f.value(x, y, 1) << 8) | f.value(x, y, 2));
            }
        }
        return img;
    }

    static void writePng(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
    }

    static void writeJpeg(BufferedImage img, Path file, float quality) throws IOException {
        Files.createDirectories(file.getParent());
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }

    /** A minimal POSIX ustar writer for tests (independent of the reader under test). */
    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar dir(String name) {
            header(name.endsWith("/") ? name : name + "/", 0, '5');
            return this;
        }

        Tar file(String name, byte[] content) {
            if (name.length() > 100) {
                byte[] longName = (name + "\0").getBytes(StandardCharsets.UTF_8);
                header("././@LongLink", longName.length, 'L');
                data(longName);
                header(name.substring(0, 100), content.length, '0');
            } else {
                header(name, content.length, '0');
            }
            data(content);
            return this;
        }

        Tar entry(String name, int size, char type) {
            header(name, size, type);
            data(new byte[size]);
            return this;
        }

        private void data(byte[] content) {
            out.writeBytes(content);
            int pad = (512 - content.length % 512) % 512;
            out.writeBytes(new byte[pad]);
        }

        void header(String name, long size, char type) {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, "0000644");
            put(h, 108, 8, "0000000");
            put(h, 116, 8, "0000000");
            put(h, 124, 12, String.format("%011o", size));
            put(h, 136, 12, String.format("%011o", 1_700_000_000L));
            for (int i = 148; i < 156; i++) h[i] = ' ';
            h[156] = (byte) type;
            put(h, 257, 6, "ustar");
            h[263] = '0';
            h[264] = '0';
            long sum = 0;
            for (byte b : h) sum += b & 0xFF;
            put(h, 148, 7, String.format("%06o", sum));
            h[155] = ' ';
            out.writeBytes(h);
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, Math.min(len, b.length));
        }

        /** The archive with its two end-of-archive blocks. */
        byte[] bytes() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(out.toByteArray());
            o.writeBytes(new byte[1024]);
            return o.toByteArray();
        }

        /** The archive without its end-of-archive blocks. */
        byte[] bytesWithoutEnd() {
            return out.toByteArray();
        }
    }

    static void write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(file)) {
            o.write(data);
        }
    }

    /** Asserts that {@code message} mentions every fragment (case-sensitive). */
    static void assertMentions(String message, String... fragments) {
        for (String f : fragments) {
            if (!message.contains(f)) {
                throw new AssertionError("message does not mention '" + f + "': " + message);
            }
        }
    }
}
