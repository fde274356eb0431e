package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The digits bundled in the jar: the file its licence note names, split as the shared copy. */
class BundledDigitsTest {
    @Test
    void theBundledFileIsTheOneItsLicenceNoteNames() throws Exception {
        String note;
        try (InputStream in = DataSpec.class.getResourceAsStream("/dev/apoptosis/data/digits-LICENSE.txt")) {
            assertNotNull(in, "licence note bundled beside the data");
            note = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(note.contains("CC BY 4.0"), note);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = DataSpec.class.getResourceAsStream(DataSpec.BUNDLED_DIGITS)) {
            sha.update(in.readAllBytes());
        }
        assertTrue(note.contains(HexFormat.of().formatHex(sha.digest())), "the note's SHA-256 is the bundled file's");
    }

    @Test
    void bundledDigitsSplitAsTheSharedCopy() throws IOException {
        DataSplits b = DataSpec.parse("digits-bundled").load();
        assertEquals(1497, b.train().size());
        assertEquals(300, b.test().size());
        assertEquals(10, b.train().numClasses());
    }
}
