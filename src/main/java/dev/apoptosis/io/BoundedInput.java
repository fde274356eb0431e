package dev.apoptosis.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A file opened for a binary reader that knows, at every point, how many more bytes the file can
 * deliver at most, so that sizes declared in the file are checked before anything is allocated
 * (see {@link DeclaredSize}).
 *
 * <p>Gzip is recognised by content (magic bytes {@code 1f 8b}), not by name, and decompressed
 * transparently. For a plain file the bound is exact: its size minus what was read. For gzip it is
 * the compressed size times {@value #DEFLATE_RATIO}, the most DEFLATE can expand (a 258-byte match
 * coded in under 2 bits), and because that bound is loose, data announced by a header is read in
 * growing pieces: memory is taken as bytes actually arrive, never on the header's word alone, so
 * an 11 MB "gzip bomb" ends with a refusal (or a correct read), not an {@code OutOfMemoryError}.
 *
 * <p>Truncation, corrupt compressed data and trailing bytes are refused through the reader's
 * {@link Refusal}; no {@code EOFException} or {@code ZipException} escapes.
 *
 * @param <E> the reader's exception type
 */
public final class BoundedInput<E extends IOException> extends InputStream {
    /** Upper bound of DEFLATE's expansion: output bytes per compressed byte. */
    public static final long DEFLATE_RATIO = 1032;
    private static final int BUFFER = 1 << 16;
    /** First piece of a read whose size only a compressed stream's header vouches for. */
    private static final int FIRST_PIECE = 1 << 20;

    private final InputStream in;
    private final long bound;
    private final boolean exact;
    private final Refusal<E> refuse;
    private long consumed;

    private BoundedInput(InputStream in, long bound, boolean exact, Refusal<E> refuse) {
        this.in = in;
        this.bound = bound;
        this.exact = exact;
        this.refuse = refuse;
    }

    /** Opens a regular file (see {@link InputFiles}), gunzipping it when it starts with the gzip magic. */
    public static <E extends IOException> BoundedInput<E> open(Path file, Refusal<E> refuse) throws E {
        long size = InputFiles.requireRegular(file, refuse);
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (IOException e) {
            throw refuse.because("cannot open: " + e);
        }
        BufferedInputStream buf = new BufferedInputStream(raw, BUFFER);
        try {
            buf.mark(2);
            int b0 = buf.read(), b1 = buf.read();
            buf.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                long most = size > Long.MAX_VALUE / DEFLATE_RATIO ? Long.MAX_VALUE : size * DEFLATE_RATIO;
                return new BoundedInput<>(new GZIPInputStream(buf, BUFFER), most, false, refuse);
            }
            return new BoundedInput<>(buf, size, true, refuse);
        } catch (IOException e) {
            closeQuietly(buf);
            throw refuse.because("corrupt gzip header: " + e.getMessage());
        }
    }

    /** A stream of unknown origin: {@code bound} bytes at most, exactly that many if {@code exact}. */
    public static <E extends IOException> BoundedInput<E> of(InputStream in, long bound, boolean exact, Refusal<E> refuse) {
        return new BoundedInput<>(in, bound, exact, refuse);
    }

    /** The most bytes still to come (exact for an uncompressed file). */
    public long remainingAtMost() {
        return bound - consumed;
    }

    /** True if the data is compressed, so {@link #remainingAtMost()} is only a bound. */
    public boolean compressed() {
        return !exact;
    }

    /** Bytes delivered so far. */
    public long position() {
        return consumed;
    }

    /**
     * Reads {@code count} declared elements of {@code bytesEach} bytes, checked first against
     * {@link DeclaredSize#arrayLength}; for compressed data the array grows as bytes arrive.
     */
    public byte[] readArray(long count, int bytesEach, String what) throws E {
        long bytes = DeclaredSize.bytes(count, bytesEach, remainingAtMost(), what, refuse);
        int n = DeclaredSize.arrayLength(bytes, 1, remainingAtMost(), what, refuse);
        if (exact || n <= FIRST_PIECE) {
            byte[] b = new byte[n];
            readFully(b, 0, n, what);
            return b;
        }
        byte[] b = new byte[FIRST_PIECE];
        int got = 0;
        while (got < n) {
            if (got == b.length) b = Arrays.copyOf(b, (int) Math.min(n, 2L * b.length));
            int len = b.length - got;
            readFully(b, got, len, what, got, n);
            got += len;
        }
        return b;
    }

    /** Reads exactly {@code len} bytes, refusing a truncated or corrupt file with what was being read. */
    public void readFully(byte[] dst, int off, int len, String what) throws E {
        readFully(dst, off, len, what, 0, len);
    }

    private void readFully(byte[] dst, int off, int len, String what, int before, int total) throws E {
        int got = 0;
        try {
            while (got < len) {
                int r = in.read(dst, off + got, len - got);
                if (r < 0) break;
                got += r;
                consumed += r;
            }
        } catch (EOFException e) {
            throw refuse.because("truncated or corrupt compressed data while reading " + what + " (" + (before + got)
                    + " of " + total + " bytes read): " + e.getMessage());
        } catch (ZipException e) {
            throw refuse.because("corrupt compressed data while reading " + what + ": " + e.getMessage());
        } catch (IOException e) {
            throw refuse.because("cannot read " + what + ": " + e);
        }
        if (got < len) throw refuse.because("truncated: " + what + " needs " + total + " bytes, file ends after " + (before + got));
    }

    /** A big-endian 32-bit int; {@code what} names the field for truncation errors. */
    public int readInt(String what) throws E {
        byte[] b = new byte[4];
        readFully(b, 0, 4, what);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** Refuses unless the data ends here: trailing bytes mean the header lied about the size. */
    public void requireEnd(String expectation) throws E {
        long more = 0;
        try {
            if (in.read() < 0) return;
            more = 1;
            byte[] scratch = new byte[BUFFER];
            for (int r; more <= 1 << 30 && (r = in.read(scratch)) > 0; ) more += r;
        } catch (EOFException | ZipException e) {
            throw refuse.because("corrupt compressed data after " + expectation + ": " + e.getMessage());
        } catch (IOException e) {
            throw refuse.because("cannot read past " + expectation + ": " + e);
        }
        throw refuse.because((more > 1 << 30 ? "more than 1 GB of" : more + "") + " unexpected trailing bytes after " + expectation);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) consumed++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int r = in.read(b, off, len);
        if (r > 0) consumed += r;
        return r;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(n);
        if (s > 0) consumed += s;
        return s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already failing with a better message
        }
    }
}
