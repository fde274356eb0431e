package dev.apoptosis.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makes FIFOs for tests (with mkfifo; a test is skipped where there is none). */
public final class SpecialFiles {
    private SpecialFiles() {}

    /** A FIFO at {@code p}. */
    public static Path fifo(Path p) throws IOException, InterruptedException {
        int rc;
        try {
            rc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            rc = -1;
        }
        assumeTrue(rc == 0 && Files.exists(p), "mkfifo is not available here");
        return p;
    }
}
