package dev.apoptosis.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The README's Java examples are the compiled ones in {@link TrainingUsageTest} and {@link PruningUsageTest}, word for word. */
class ReadmeExampleTest {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TrainingUsageTest", "PruningUsageTest"})
    void readmeShowsTheCompiledExample(String example) throws IOException {
        String test = Files.readString(Path.of("src/test/java/dev/apoptosis/examples/" + example + ".java"));
        String begin = "// --- README example begins ---\n", end = "// --- README example ends ---";
        int from = test.indexOf(begin), to = test.indexOf(end);
        assertTrue(from >= 0 && to > from, "markers missing in " + example);
        String body = test.substring(from + begin.length(), to).stripTrailing();
        // The example sits at method-body indentation (8 spaces) in the test and at column 0 in the README.
        String code = body.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(code), "README.md lacks the example of " + example + " as it is now:\n" + code);
    }
}
