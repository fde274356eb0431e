package dev.apoptosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.cli.Main;
import dev.apoptosis.train.Trainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version checkpoints and {@code --version} report is the pom's, not a constant in the code. */
class BuildVersionTest {
    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>apoptosis</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "no project version in pom.xml");
        return m.group(1).strip();
    }

    @Test
    void versionComesFromTheBuild() throws IOException {
        String v = pomVersion();
        assertEquals(v, BuildVersion.version());
        assertEquals("apoptosis " + v, Trainer.TOOL, "the tool recorded in checkpoints");
    }

    @Test
    void cliVersionIsTheBuildVersion() throws IOException {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.newCommandLine().execute("--version");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        assertEquals("apoptosis " + pomVersion(), out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void anUnfilteredOrMissingResourceIsReportedAsDev() throws IOException {
        assertEquals(BuildVersion.UNKNOWN, BuildVersion.parse(null));
        assertEquals(BuildVersion.UNKNOWN, BuildVersion.parse(stream("version=${project.version}\n")));
        assertEquals(BuildVersion.UNKNOWN, BuildVersion.parse(stream("# nothing\n")));
        assertEquals("1.2.3-rc1", BuildVersion.parse(stream("version = 1.2.3-rc1 \n")));
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
