package dev.apoptosis.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG and PNG bytes with javax.imageio into 8-bit RGB planes [3, H, W].
 *
 * <p>The format is recognised by its magic bytes (JPEG {@code FF D8 FF}, PNG {@code 89 'PNG'}),
 * not by the file name. Colour conversion follows torchvision's default loader (PIL's
 * {@code convert("RGB")}): grey images are replicated into three equal planes and alpha is dropped
 * without compositing. Grey and plain RGB rasters are read sample by sample, bypassing Java's
 * colour management, which would otherwise gamma-convert grey values; other layouts (palette,
 * 16-bit) go through {@link BufferedImage#getRGB}.
 *
 * <p>An instance keeps one reader per format and is <em>not</em> thread-safe: use one per thread.
 * Streams are memory-backed so ImageIO never creates temporary cache files.
 */
final class ImageDecoder implements AutoCloseable {
    private ImageReader jpeg;
    private ImageReader png;

    /** A decoded image's size; pixels were written by {@link #decodeRgb}. */
    record Size(int width, int height) {}

    /**
     * Decodes {@code bytes} and writes 3*H*W bytes (R plane, G plane, B plane) into {@code dst}
     * at {@code off}. When {@code dst} is null, or the size in the header differs from
     * {@code expectW x expectH} (0 accepts any size), only the header is read and nothing is written.
     */
    Size decodeRgb(byte[] bytes, String name, byte[] dst, int off, int expectW, int expectH) throws DatasetException {
        ImageReader reader = readerFor(bytes, name);
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(stream, true, true);
            int w = reader.getWidth(0), h = reader.getHeight(0);
            checkDeclaredSize(w, h, bytes.length, name);
            Size size = new Size(w, h);
            if (dst == null || (expectW != 0 && (w != expectW || h != expectH))) return size;
            BufferedImage img = reader.read(0);
            if (img == null || img.getWidth() != w || img.getHeight() != h) {
                throw new DatasetException(name + ": the image decoder returned no image of the size in the header");
            }
            toRgbPlanes(img, dst, off);
            return size;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetException de) throw de;
            throw new DatasetException(name + ": cannot decode image: " + e, e);
        } finally {
            reader.setInput(null);
        }
    }

    /**
     * The most pixels a file of {@code n} bytes can encode: a PNG of 1-bit pixels under DEFLATE's
     * largest expansion (8 pixels per byte, 1032 bytes per compressed byte). JPEG needs at least a bit
     * per 8x8 block, so stays far below. A header claiming more is not an image this file can hold.
     */
    static final long PIXELS_PER_BYTE = 8 * 1032;

    /** Refuses sizes the file cannot encode, or whose decoded raster (4 bytes a pixel at most) the heap cannot hold. */
    private static void checkDeclaredSize(int w, int h, int fileBytes, String name) throws DatasetException {
        long pixels = (long) w * h;
        if (w <= 0 || h <= 0) throw new DatasetException(name + ": image header declares " + w + "x" + h + " pixels");
        if (pixels > PIXELS_PER_BYTE * fileBytes) {
            throw new DatasetException(name + ": image header declares " + w + "x" + h + " pixels, more than a " + fileBytes
                    + "-byte file can encode; corrupt or crafted");
        }
        dev.apoptosis.io.DeclaredSize.arrayLength(pixels, 4, Long.MAX_VALUE, "decoded " + w + "x" + h + " image",
                problem -> new DatasetException(name + ": " + problem));
    }

    private ImageReader readerFor(byte[] b, String name) throws DatasetException {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            if (jpeg == null) jpeg = newReader("jpeg");
            return jpeg;
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            if (png == null) png = newReader("png");
            return png;
        }
        throw new DatasetException(name + ": not a JPEG or PNG image (unrecognised magic bytes)");
    }

    private static ImageReader newReader(String format) {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        if (!it.hasNext()) throw new IllegalStateException("javax.imageio has no " + format + " reader in this JVM");
        return it.next();
    }

    /** Writes {@code img} as 8-bit R, G, B planes. */
    static void toRgbPlanes(BufferedImage img, byte[] dst, int off) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        Raster r = img.getRaster();
        int type = img.getType();
        boolean grey = img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int bits = img.getColorModel().getComponentSize(0);
        if (grey && bits == 8) {
            int[] g = r.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < plane; i++) {
                byte v = (byte) g[i];
                dst[off + i] = v;
                dst[off + plane + i] = v;
                dst[off + 2 * plane + i] = v;
            }
        } else if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR
                || type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
            int[] s = new int[plane];
            for (int band = 0; band < 3; band++) {
                r.getSamples(0, 0, w, h, band, s);
                int base = off + band * plane;
                for (int i = 0; i < plane; i++) dst[base + i] = (byte) s[i];
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                int p = argb[i];
                dst[off + i] = (byte) (p >> 16);
                dst[off + plane + i] = (byte) (p >> 8);
                dst[off + 2 * plane + i] = (byte) p;
            }
        }
    }

    @Override
    public void close() {
        if (jpeg != null) jpeg.dispose();
        if (png != null) png.dispose();
        jpeg = png = null;
    }
}
