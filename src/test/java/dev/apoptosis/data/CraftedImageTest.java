package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, item 3: an image whose header declares far more pixels than its file can encode is refused before decoding. */
class CraftedImageTest {
    @TempDir
    Path dir;

    /** A valid 2x2 PNG whose IHDR is rewritten to {@code w x h} with a correct CRC. */
    static byte[] pngDeclaring(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(ImageFolderTest.image(2, 2, 1), "png", out);
        byte[] b = out.toByteArray();
        ByteBuffer.wrap(b, 16, 8).putInt(w).putInt(h); // signature (8), length (4), "IHDR" (4), then width and height
        CRC32 crc = new CRC32();
        crc.update(b, 12, 4 + 13);
        ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        return b;
    }

    @Test
    void aPngDeclaring40000x40000PixelsIsRefusedBeforeDecoding() throws IOException {
        Path root = dir.resolve("train");
        TestFiles.write(root.resolve("a/big.png"), pngDeclaring(40000, 40000));
        TestFiles.write(root.resolve("b/small.png"), pngDeclaring(2, 2));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertMentions(e.getMessage(), "big.png", "40000x40000", "more than a");
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes to refuse a " + Files.size(root.resolve("a/big.png")) + "-byte image");
    }
}
