package dev.apoptosis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Relative folders are shipped to executors as absolute paths; other specs unchanged. */
class SharedDataTest {
    @Test
    void relativeFoldersBecomeAbsoluteAndTheRestIsUnchanged() {
        assertEquals("folder:" + Path.of("").toAbsolutePath().resolve("data/imgs"), SharedData.spec("folder:data/imgs"));
        assertEquals("folder:/shared/imgs", SharedData.spec("folder:/shared/imgs"));
        assertEquals("digits-bundled", SharedData.spec("digits-bundled"));
        assertEquals("cifar10", SharedData.spec("cifar10"));
    }
}
