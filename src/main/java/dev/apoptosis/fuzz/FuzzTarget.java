package dev.apoptosis.fuzz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One binary reader as the fuzzer sees it: valid example files to mutate, the reader itself, the
 * exception type with which it refuses a bad file, and an optional re-sealing step.
 *
 * <p>Re-sealing matters for formats with checksums: without it nearly every mutation is stopped by
 * the checksum, and the decoder behind it is never exercised. {@code seal} recomputes the checksum
 * (or, for plain formats, may re-encode, e.g. gzip the mutated bytes) so that a mutation reaches the
 * parser as an attacker's crafted file would; the fuzzer seals half of the files and leaves the
 * other half as mutated.
 *
 * @param name       short name for the command line and reports ("checkpoint", "idx-images")
 * @param refusal    the reader's own exception type; any other throwable is a failure
 * @param seeds      valid files (at least one), built fresh in a scratch folder
 * @param reader     reads a file completely, as the toolkit would
 * @param seal       re-seals mutated bytes ({@link Seal#NONE} if the format has nothing to re-seal)
 * @param bytesPerFileByte  allocation allowed per byte of the file (on top of {@link Fuzzer#ALLOCATION_SLACK});
 *                   1032 and more for compressed formats, whose data may expand that much
 */
public record FuzzTarget(String name, Class<? extends Exception> refusal, Seeds seeds, Reader reader, Seal seal,
                         long bytesPerFileByte) {

    /** Builds the valid example files. */
    @FunctionalInterface
    public interface Seeds {
        List<byte[]> make(Path scratch) throws IOException;
    }

    /** Reads {@code file} completely; returns normally if it was accepted. */
    @FunctionalInterface
    public interface Reader {
        void read(Path file) throws Exception;
    }

    /** Re-seals mutated bytes (see above). */
    @FunctionalInterface
    public interface Seal {
        Seal NONE = (bytes, random) -> bytes;

        byte[] apply(byte[] bytes, SplittableRandom random) throws IOException;
    }

    public FuzzTarget {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a fuzz target needs a name");
        if (bytesPerFileByte < 1) throw new IllegalArgumentException("fuzz target " + name + ": bytesPerFileByte must be >= 1");
    }
}
