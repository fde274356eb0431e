package dev.apoptosis.data;

import dev.apoptosis.io.OutputTarget;
import dev.apoptosis.io.TempFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The decoded-image cache file: decoding tens of thousands of JPEGs takes seconds, reading their
 * pixels back takes a fraction of that.
 *
 * <p>Layout, big-endian: magic {@code "APOPIMGC"}, format version, the 32-byte SHA-256 of the
 * source's fingerprint, count, C, H, W, number of classes, max value, class names (length-prefixed
 * UTF-8), {@code count} int labels, {@code count*C*H*W} pixel bytes, then the CRC-32C of everything
 * before it. A file is accepted only if every field is consistent, its length is exactly what the
 * header implies, the checksum matches and the fingerprint equals the source's current one;
 * otherwise {@link #read} says why and the caller rebuilds it.
 *
 * <p>Writes follow the shared output rules ({@link OutputTarget}, {@link TempFiles}: never over a
 * link, FIFO or device; orphans of killed writes removed) and go to a temporary file in the same
 * folder, then are renamed over the target atomically, so a reader never sees a half-written cache and concurrent writers cannot interleave.
 * The file is not forced to disk before the rename (that costs about a second for CIFAR-10): a file
 * torn by a system crash fails its length or checksum test and is simply rebuilt.
 */
final class ImageCache {
    static final byte[] MAGIC = "APOPIMGC".getBytes(StandardCharsets.US_ASCII);
    /** Bump when the layout or the decoding rules change, so old caches are rebuilt. */
    static final int VERSION = 1;
    private static final int BUFFER = 1 << 16;

    /** Either a dataset, or the reason the file was not usable. */
    record Read(ByteImageDataset dataset, String problem) {}

    private ImageCache() {}

    static byte[] hash(String fingerprint) {
        return sha256().digest(fingerprint.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh SHA-256 digest (every Java platform has one). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** The cache file name for a source: readable prefix plus a hash of its identity. */
    static String fileName(String name, String identity) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return safe + "-" + HexFormat.of().formatHex(hash(identity), 0, 6) + ".imgcache";
    }

    /** Writes {@code ds} atomically to {@code file}. */
    static void write(Path file, ByteImageDataset ds, byte[] fingerprintHash) throws IOException {
        Path abs = OutputTarget.check(file); // the shared rules: never over a link, FIFO or device
        TempFiles.removeOrphans(abs);
        Path tmp = TempFiles.create(abs);
        boolean done = false;
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile())) {
                TempFiles.lock(fos.getChannel());
                BufferedOutputStream buf = new BufferedOutputStream(fos, BUFFER);
                CRC32C crc = new CRC32C();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buf, crc));
                int[] shape = ds.sampleShape();
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.write(fingerprintHash);
                out.writeInt(ds.size());
                for (int d : shape) out.writeInt(d);
                out.writeInt(ds.numClasses());
                out.writeInt(ds.maxValue());
                out.writeInt(ds.classNames().size());
                for (String c : ds.classNames()) {
                    byte[] b = c.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
                ByteBuffer labels = ByteBuffer.allocate(4 * ds.size());
                labels.asIntBuffer().put(ds.labelArray());
                out.write(labels.array());
                out.write(ds.pixelBytes());
                out.flush();
                int sum = (int) crc.getValue();
                buf.write(new byte[] {(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
                buf.flush();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(file + ": cannot rename the cache file into place atomically", e);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
            TempFiles.done(tmp);
        }
    }

    /** Reads {@code file} if it is a valid cache for {@code expectedHash}; never throws for a bad file. */
    static Read read(Path file, byte[] expectedHash, String name) {
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return new Read(null, "no cache file");
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return new Read(null, "not a regular file (links, FIFOs and devices are never read as a cache)");
        }
        try {
            long length = Files.size(file);
            CRC32C crc = new CRC32C();
            try (InputStream raw = Files.newInputStream(file);
                 DataInputStream in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(raw, BUFFER), crc))) {
                byte[] magic = new byte[MAGIC.length];
                in.readFully(magic);
                if (!Arrays.equals(magic, MAGIC)) return new Read(null, "not a cache file (bad magic)");
                int version = in.readInt();
                if (version != VERSION) return new Read(null, "format version " + version + ", expected " + VERSION);
                byte[] fp = new byte[32];
                in.readFully(fp);
                if (!Arrays.equals(fp, expectedHash)) return new Read(null, "stale: the source changed since the cache was written");
                int count = in.readInt(), c = in.readInt(), h = in.readInt(), w = in.readInt();
                int classes = in.readInt(), maxValue = in.readInt(), names = in.readInt();
                if (count < 0 || c <= 0 || h <= 0 || w <= 0 || classes <= 0 || maxValue < 1 || maxValue > 255
                        || names < 0 || names > classes) {
                    return new Read(null, "corrupt header");
                }
                List<String> classNames = new ArrayList<>();
                long headerLen = MAGIC.length + 4 + 32 + 4 * 7; // magic, version, fingerprint, 7 ints
                for (int i = 0; i < names; i++) {
                    int len = in.readInt();
                    if (len < 0 || len > 4096) return new Read(null, "corrupt class name length");
                    byte[] b = new byte[len];
                    in.readFully(b);
                    classNames.add(new String(b, StandardCharsets.UTF_8));
                    headerLen += 4 + len;
                }
                long pixelCount = (long) count * c * h * w;
                long expectedLength = headerLen + 4L * count + pixelCount + 4;
                if (length != expectedLength || pixelCount > Integer.MAX_VALUE - 8) {
                    return new Read(null, "length " + length + " bytes, header implies " + expectedLength);
                }
                byte[] labelBytes = new byte[4 * count];
                in.readFully(labelBytes);
                int[] labels = new int[count];
                ByteBuffer.wrap(labelBytes).asIntBuffer().get(labels);
                byte[] pixels = new byte[(int) pixelCount];
                in.readFully(pixels);
                int computed = (int) crc.getValue();
                int stored = in.readInt();
                if (computed != stored) return new Read(null, "checksum mismatch (corrupt cache)");
                for (int label : labels) {
                    if (label < 0 || label >= classes) return new Read(null, "label out of range");
                }
                return new Read(new ByteImageDataset(name, pixels, labels, new int[] {c, h, w}, classes,
                        classNames, maxValue), null);
            }
        } catch (EOFException e) {
            return new Read(null, "truncated");
        } catch (IOException | RuntimeException e) {
            return new Read(null, "unreadable: " + e);
        }
    }
}
