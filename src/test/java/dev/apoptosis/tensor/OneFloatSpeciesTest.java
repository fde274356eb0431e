package dev.apoptosis.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every float vector in the kernels is of the preferred species. Once a second float species (a
 * half-width one, say) has run anywhere, the JIT's type profiles inside {@code FloatVector} turn
 * polymorphic and it stops keeping the vectors of every other kernel in registers: a training step
 * ran several times slower after one reduction with a second species. This test keeps such a
 * species from coming back unnoticed.
 */
class OneFloatSpeciesTest {
    /** Ways to name a species other than the preferred one. */
    private static final Pattern OTHER_SPECIES =
            Pattern.compile("VectorSpecies\\.of\\(|VectorShape\\.|SPECIES_(64|128|256|512|MAX)\\b|withShape\\(");

    @Test
    void kernelsUseOnlyThePreferredFloatSpecies() throws IOException {
        List<String> offenders = SourceScan.offenders(f -> true, code -> OTHER_SPECIES.matcher(code).find());
        assertTrue(offenders.isEmpty(), "a second vector species: " + String.join("\n", offenders));
    }
}
