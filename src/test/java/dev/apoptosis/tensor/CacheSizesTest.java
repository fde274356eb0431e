package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Linux's cache description: a Xeon-like and a Zen-like tree, missing files, and the size forms sysfs uses. */
class CacheSizesTest {
    @TempDir
    Path dir;

    private void index(int i, String level, String type, String size) throws Exception {
        Path d = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }

    @Test
    void readsL1DataAndL2NotTheInstructionCache() throws Exception {
        index(0, "1", "Data", "48K");
        index(1, "1", "Instruction", "32K");
        index(2, "2", "Unified", "2048K");
        index(3, "3", "Unified", "105M");
        CacheSizes c = CacheSizes.read(dir);
        assertEquals(new CacheSizes(48 << 10, 2 << 20, true), c);
        assertEquals("L1d 48 KiB, L2 2048 KiB", c.describe());
    }

    @Test
    void missingOrUnreadableEntriesFallBackToZen4Sizes() throws Exception {
        assertEquals(CacheSizes.FALLBACK, CacheSizes.read(dir.resolve("absent")));
        index(0, "1", "Data", "32K");
        assertEquals(CacheSizes.FALLBACK, CacheSizes.read(dir), "no L2 entry");
        index(1, "2", "Unified", "lots");
        assertEquals(CacheSizes.FALLBACK, CacheSizes.read(dir), "an L2 size in an unknown form");
        assertTrue(CacheSizes.FALLBACK.describe().contains("not readable"));
    }

    @Test
    void sizesInEverySuffix() {
        assertEquals(49152, CacheSizes.parseSize("48K"));
        assertEquals(1 << 20, CacheSizes.parseSize("1M\n"));
        assertEquals(512, CacheSizes.parseSize("512"));
        assertThrows(IllegalArgumentException.class, () -> CacheSizes.parseSize(""));
        assertThrows(IllegalArgumentException.class, () -> CacheSizes.parseSize("0K"));
        assertThrows(IllegalArgumentException.class, () -> CacheSizes.parseSize("4G"));
    }
}
