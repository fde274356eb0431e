package dev.apoptosis.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared size checks (issue 16, item 3): each way a declared size can lie is refused through the reader's own exception. */
class DeclaredSizeTest {
    @TempDir
    Path dir;

    static final class Refused extends IOException {
        Refused(String m) {
            super(m);
        }
    }

    private static final Refusal<Refused> R = Refused::new;

    @Test
    void negativeOverflowingAbsentAndUnaffordableSizesAreRefused() throws Refused {
        assertTrue(assertThrows(Refused.class, () -> DeclaredSize.arrayLength(-1, 4, 100, "x", R)).getMessage().contains("negative"));
        assertTrue(assertThrows(Refused.class, () -> DeclaredSize.bytes(Long.MAX_VALUE / 2, 4, Long.MAX_VALUE, "x", R))
                .getMessage().contains("overflow"));
        assertTrue(assertThrows(Refused.class, () -> DeclaredSize.product(new int[] {1 << 30, 1 << 30, 1 << 30}, "t", R))
                .getMessage().contains("overflow"));
        assertTrue(assertThrows(Refused.class, () -> DeclaredSize.arrayLength(101, 1, 100, "x", R)).getMessage().contains("after 100 more"));
        long tooMuch = Runtime.getRuntime().maxMemory() + 1;
        assertTrue(assertThrows(Refused.class, () -> DeclaredSize.requireHeap(tooMuch, "x", R)).getMessage().contains("-Xmx"));
        assertEquals(25, DeclaredSize.arrayLength(25, 4, 100, "x", R));
    }

    private Path gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return Files.write(dir.resolve("data.gz"), out.toByteArray());
    }

    /** Compressed data is taken in growing pieces as it arrives: a true size reads, a false one is refused without its memory. */
    @Test
    void compressedDataIsReadInGrowingPiecesAndTruncationIsRefused() throws IOException {
        byte[] data = new byte[5 << 20];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i % 251);
        Path f = gzip(data);
        try (BoundedInput<Refused> in = BoundedInput.open(f, R)) {
            assertTrue(in.compressed());
            assertArrayEquals(data, in.readArray(data.length, 1, "all"));
            in.requireEnd("all");
        }
        try (BoundedInput<Refused> in = BoundedInput.open(f, R)) {
            Refused e = assertThrows(Refused.class, () -> in.readArray(data.length + 1, 1, "all"));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        try (BoundedInput<Refused> in = BoundedInput.open(f, R)) {
            in.readArray(data.length - 10, 1, "most");
            assertTrue(assertThrows(Refused.class, () -> in.requireEnd("most")).getMessage().contains("10 unexpected trailing bytes"));
        }
    }
}
