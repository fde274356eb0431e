package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataPathsTest {
    @Test
    void repoRootIsTheFolderWithThePom() {
        Path root = DataPaths.repoRoot();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")), root.toString());
        assertTrue(Files.isDirectory(root.resolve("src/main/java/dev/apoptosis/data")), root.toString());
    }

    @Test
    void defaultsSitBesideAndInsideTheRepo() {
        String saved = System.getProperty(DataPaths.DATA_PROPERTY);
        String savedCache = System.getProperty(DataPaths.CACHE_PROPERTY);
        try {
            System.clearProperty(DataPaths.DATA_PROPERTY);
            System.clearProperty(DataPaths.CACHE_PROPERTY);
            if (System.getenv(DataPaths.DATA_ENV) == null) {
                assertEquals(DataPaths.repoRoot().getParent().resolve("shared/datasets"), DataPaths.dataRoot());
            }
            if (System.getenv(DataPaths.CACHE_ENV) == null) {
                assertEquals(DataPaths.repoRoot().resolve("data-cache"), DataPaths.cacheDir());
            }
            System.setProperty(DataPaths.DATA_PROPERTY, "/some/where");
            System.setProperty(DataPaths.CACHE_PROPERTY, "/cache/here");
            assertEquals(Path.of("/some/where"), DataPaths.dataRoot());
            assertEquals(Path.of("/cache/here"), DataPaths.cacheDir());
        } finally {
            restore(DataPaths.DATA_PROPERTY, saved);
            restore(DataPaths.CACHE_PROPERTY, savedCache);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }
}
