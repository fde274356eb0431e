package dev.apoptosis.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Java example is the compiled one in {@link TrainingUsageTest}, word for word. */
class ReadmeExampleTest {
    @Test
    void readmeShowsTheCompiledExample() throws IOException {
        String test = Files.readString(Path.of("src/test/java/dev/apoptosis/examples/TrainingUsageTest.java"));
        String begin = "// --- README example begins ---\n", end = "// --- README example ends ---";
        int from = test.indexOf(begin), to = test.indexOf(end);
        assertTrue(from >= 0 && to > from, "markers missing in TrainingUsageTest");
        String body = test.substring(from + begin.length(), to).stripTrailing();
        // The example sits at method-body indentation (8 spaces) in the test and at column 0 in the README.
        String example = body.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(example), "README.md lacks the example of TrainingUsageTest as it is now:\n" + example);
    }
}
