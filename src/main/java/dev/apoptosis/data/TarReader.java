package dev.apoptosis.data;

import dev.apoptosis.io.BoundedInput;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A minimal reader for tar archives of regular files and directories, enough for dataset
 * tarballs: POSIX ustar ({@code "ustar\0" "00"}), old GNU ({@code "ustar  \0"}) and v7 headers,
 * GNU long names (type {@code L}) and pax {@code path} records (type {@code x}; global pax
 * headers, type {@code g}, are skipped).
 *
 * <p>A tar is a sequence of 512-byte blocks: a header block per entry (name, octal size, checksum,
 * type), the content padded to a whole number of blocks, and at least one all-zero block at the
 * end. Every header checksum is verified. Links, devices and other entry types are rejected with
 * an error naming the entry, as is an archive that ends without its end-of-archive block.
 *
 * <p>Usage: call {@link #next()} until it returns null; {@link #readContent()} reads the current
 * entry's bytes, and {@code next()} skips whatever was not read.
 */
public final class TarReader implements Closeable {
    /** One archive member: its path inside the archive, type, size and modification time. */
    public record Entry(String name, boolean directory, long size, long mtimeSeconds) {}

    private static final int BLOCK = 512;
    private final BoundedInput<DatasetException> in;
    private final Path archive;
    private final byte[] header = new byte[BLOCK];
    private long remaining;      // unread content bytes of the current entry
    private long padding;        // padding after the current entry's content
    private Entry current;
    private boolean ended;

    /** Reads from {@code in} (already decompressed); {@code archive} is used in error messages. */
    public TarReader(InputStream in, Path archive) {
        this(BoundedInput.of(in, Long.MAX_VALUE, false, DataFiles.refusal(archive)), archive);
    }

    private TarReader(BoundedInput<DatasetException> in, Path archive) {
        this.in = in;
        this.archive = archive;
    }

    /** Opens a .tar or gzipped tar file (detected by content). */
    public static TarReader open(Path archive) throws IOException {
        return new TarReader(DataFiles.open(archive), archive);
    }

    /** The next regular file or directory, or null at the end of the archive. */
    public Entry next() throws IOException {
        if (ended) return null;
        skipFully(remaining + padding);
        remaining = padding = 0;
        String longName = null;
        while (true) {
            if (!readBlock(header)) {
                throw new DatasetException(archive, "truncated tar: archive ends without an end-of-archive block"
                        + (current != null ? " (after entry " + current.name() + ")" : ""));
            }
            if (isZero(header)) {
                ended = true;
                current = null;
                return null;
            }
            verifyChecksum();
            char type = (char) (header[156] & 0xFF);
            long size = octal(124, 12, "size");
            if (size < 0) throw new DatasetException(archive, "negative entry size in header of " + rawName());
            switch (type) {
                case 'L' -> {
                    longName = stripTrailingSlashAndNul(new String(readSmall(size, "GNU long name"), StandardCharsets.UTF_8));
                    continue;
                }
                case 'x' -> {
                    String path = paxPath(readSmall(size, "pax header"));
                    if (path != null) longName = path;
                    continue;
                }
                case 'g' -> {
                    readSmall(size, "pax global header");
                    continue;
                }
                default -> { }
            }
            String name = longName != null ? longName : rawName();
            boolean dir;
            if (type == '0' || type == '\0' || type == '7') {
                dir = false;
                if (name.endsWith("/")) dir = true; // v7 convention for directories
            } else if (type == '5') {
                dir = true;
            } else {
                throw new DatasetException(archive, "entry " + name + " has unsupported tar type '" + type
                        + "' (only regular files and directories are allowed)");
            }
            long mtime = octal(136, 12, "mtime");
            remaining = dir ? 0 : size;
            padding = dir ? 0 : (BLOCK - size % BLOCK) % BLOCK;
            if (dir && size != 0) skipFully(size + (BLOCK - size % BLOCK) % BLOCK);
            current = new Entry(stripTrailingSlashAndNul(name), dir, dir ? 0 : size, mtime);
            return current;
        }
    }

    /**
     * The whole content of the current entry (at most 2 GB), its declared size checked against what the
     * archive can still hold and the free heap before it is allocated (see {@link BoundedInput}).
     */
    public byte[] readContent() throws IOException {
        if (current == null) throw new IllegalStateException("TarReader: no current entry");
        byte[] b = in.readArray(remaining, 1, "content of " + current.name());
        remaining = 0;
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private byte[] readSmall(long size, String what) throws IOException {
        if (size > 1 << 20) throw new DatasetException(archive, what + " of " + size + " bytes is implausibly large");
        byte[] b = in.readArray(size, 1, what);
        skipFully((BLOCK - size % BLOCK) % BLOCK);
        return b;
    }

    /** The value of the {@code path} record in pax extended-header text ("LEN path=VALUE\n" records). */
    private String paxPath(byte[] text) throws DatasetException {
        int p = 0;
        String path = null;
        while (p < text.length) {
            int sp = p;
            while (sp < text.length && text[sp] != ' ') sp++;
            int len;
            try {
                len = Integer.parseInt(new String(text, p, sp - p, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new DatasetException(archive, "malformed pax header record at byte " + p);
            }
            if (len <= 0 || p + len > text.length) throw new DatasetException(archive, "malformed pax header record length " + len);
            String rec = new String(text, sp + 1, p + len - sp - 2, StandardCharsets.UTF_8);
            if (rec.startsWith("path=")) path = rec.substring(5);
            p += len;
        }
        return path;
    }

    private String rawName() {
        String name = cString(0, 100);
        boolean posixUstar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
        if (posixUstar) {
            String prefix = cString(345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
        }
        return name;
    }

    private String cString(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) end++;
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    private static String stripTrailingSlashAndNul(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '/' || s.charAt(end - 1) == '\0')) end--;
        return s.substring(0, end);
    }

    /** An octal field (NUL/space terminated), or a GNU base-256 number when the top bit is set. */
    private long octal(int off, int len, String field) throws DatasetException {
        if ((header[off] & 0x80) != 0) {
            long v = header[off] & 0x7F;
            for (int i = 1; i < len; i++) v = (v << 8) | (header[off + i] & 0xFF);
            return v;
        }
        long v = 0;
        int i = off;
        while (i < off + len && header[i] == ' ') i++;
        int digits = 0;
        for (; i < off + len; i++) {
            int c = header[i];
            if (c == 0 || c == ' ') break;
            if (c < '0' || c > '7') {
                throw new DatasetException(archive, "bad octal " + field + " field in tar header of " + rawName());
            }
            v = v * 8 + (c - '0');
            digits++;
        }
        if (digits == 0 && !field.equals("mtime")) {
            throw new DatasetException(archive, "empty " + field + " field in tar header of " + rawName());
        }
        return v;
    }

    private void verifyChecksum() throws DatasetException {
        long stored = octal(148, 8, "checksum");
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xFF;
            signed += (i >= 148 && i < 156) ? ' ' : (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw new DatasetException(archive, "tar header checksum mismatch for entry '" + rawName()
                    + "' (stored " + stored + ", computed " + unsigned + "): corrupt archive or not a tar file");
        }
    }

    private boolean readBlock(byte[] b) throws IOException {
        int got = 0;
        try {
            while (got < BLOCK) {
                int n = in.read(b, got, BLOCK - got);
                if (n < 0) break;
                got += n;
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new DatasetException(archive, "truncated or corrupt compressed data: " + e.getMessage(), e);
        }
        if (got == 0) return false;
        if (got < BLOCK) throw new DatasetException(archive, "truncated tar: partial " + got + "-byte header block");
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private void skipFully(long n) throws IOException {
        byte[] scratch = null;
        while (n > 0) {
            long s;
            try {
                s = in.skip(n);
            } catch (java.io.EOFException | java.util.zip.ZipException e) {
                throw new DatasetException(archive, "truncated or corrupt compressed data: " + e.getMessage(), e);
            }
            if (s <= 0) {
                if (scratch == null) scratch = new byte[BLOCK];
                int r = in.read(scratch, 0, (int) Math.min(BLOCK, n));
                if (r < 0) throw new DatasetException(archive, "truncated tar: content of "
                        + (current != null ? current.name() : "an entry") + " cut short");
                s = r;
            }
            n -= s;
        }
    }
}
