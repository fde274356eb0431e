package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** For tests that keep a construct out of the sources: the code lines (comments skipped) of src/main/java that match. */
final class SourceScan {
    private SourceScan() {}

    /** "file:line: code" for each code line of the .java files under src/main/java accepted by {@code files} that {@code matches}. */
    static List<String> offenders(Predicate<Path> files, Predicate<String> matches) throws IOException {
        Path root = Path.of("src/main/java");
        assertTrue(Files.isDirectory(root), "run from the project root: " + root.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(p -> p.toString().endsWith(".java") && files.test(p)).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) continue;
                    if (matches.test(code)) offenders.add(root.relativize(f) + ":" + (i + 1) + ": " + code);
                }
            }
        }
        return offenders;
    }
}
