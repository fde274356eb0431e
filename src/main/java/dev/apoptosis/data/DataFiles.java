package dev.apoptosis.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * File helpers shared by the loaders: gzip detected by content (magic bytes 1f 8b), not by name,
 * and reads that report truncation instead of returning short.
 */
final class DataFiles {
    private static final int BUFFER = 1 << 16;

    private DataFiles() {}

    /** Opens {@code file}, transparently gunzipping it when it starts with the gzip magic bytes. */
    static InputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file not found");
        } catch (IOException e) {
            throw new DatasetException(file, "cannot open: " + e, e);
        }
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(in, BUFFER);
            } catch (IOException e) {
                in.close();
                throw new DatasetException(file, "corrupt gzip header: " + e.getMessage(), e);
            }
        }
        return in;
    }

    /** True if {@code file} starts with the gzip magic bytes. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Reads exactly {@code len} bytes into {@code dst}; on early end of data throws a
     * {@link DatasetException} saying what was being read and how much was there.
     */
    static void readFully(InputStream in, byte[] dst, int off, int len, Path file, String what) throws IOException {
        int got = 0;
        try {
            while (got < len) {
                int n = in.read(dst, off + got, len - got);
                if (n < 0) break;
                got += n;
            }
        } catch (EOFException e) {
            throw new DatasetException(file, "truncated or corrupt compressed data while reading " + what
                    + " (" + got + " of " + len + " bytes read): " + e.getMessage(), e);
        } catch (java.util.zip.ZipException e) {
            throw new DatasetException(file, "corrupt compressed data while reading " + what + ": " + e.getMessage(), e);
        }
        if (got < len) {
            throw new DatasetException(file, "truncated: " + what + " needs " + len + " bytes, file ends after " + got);
        }
    }

    /** Throws unless {@code in} is at end of data: trailing bytes mean the header lied about the size. */
    static void requireEnd(InputStream in, Path file, String expectation) throws IOException {
        int extra;
        try {
            extra = in.read();
        } catch (EOFException | java.util.zip.ZipException e) {
            throw new DatasetException(file, "corrupt compressed data after the payload: " + e.getMessage(), e);
        }
        if (extra >= 0) {
            long more = 1 + in.skip(Long.MAX_VALUE);
            throw new DatasetException(file, more + " unexpected trailing bytes after " + expectation);
        }
    }

    /** Reads a big-endian 32-bit int; {@code what} names the field for truncation errors. */
    static int readInt(InputStream in, Path file, String what) throws IOException {
        byte[] b = new byte[4];
        readFully(in, b, 0, 4, file, what);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** The first of {@code candidates} (file names in {@code dir}) that exists, or an error listing them all. */
    static Path firstExisting(Path dir, String what, List<String> candidates) throws DatasetException {
        for (String c : candidates) {
            Path p = dir.resolve(c);
            if (Files.isRegularFile(p)) return p;
        }
        throw new DatasetException(dir, "no " + what + " file; looked for " + String.join(", ", candidates));
    }

    /** Throws unless {@code dir} is an existing directory. */
    static void requireDirectory(Path dir, String what) throws DatasetException {
        if (!Files.isDirectory(dir)) throw new DatasetException(dir, what + " directory not found");
    }
}
