package dev.apoptosis.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.ops.Tanh;
import dev.apoptosis.tensor.Tensor;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The oracle's own guards: a check with no direction to differentiate along is a clear error. */
class DerivativeCheckTest {
    private static Graph parameterFree() {
        GraphBuilder b = new GraphBuilder("tanh-only", 1);
        return b.build(b.add("act", new Tanh(), b.input("x", 3)));
    }

    private static final Map<String, Tensor> X = Map.of("x", Tensor.randn(new Random(1), 1f, 2, 3));

    @Test
    void noParametersAndNoInputTangentsIsNothingToCheck() {
        DerivativeCheck check = new DerivativeCheck(parameterFree(), X, new QuadraticLoss(1), null)
                .differentiableInputs(Set.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, check::run);
        assertTrue(e.getMessage().contains("nothing to check") && e.getMessage().contains("tanh-only"), e.getMessage());
    }

    @Test
    void anUnknownDifferentiableInputIsNamed() {
        DerivativeCheck check = new DerivativeCheck(parameterFree(), X, new QuadraticLoss(1), null)
                .differentiableInputs(Set.of("y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, check::run);
        assertTrue(e.getMessage().contains("'y'"), e.getMessage());
    }

    @Test
    void aParameterFreeGraphIsStillCheckedAlongItsInputs() {
        new DerivativeCheck(parameterFree(), X, new QuadraticLoss(1), null).run();
    }
}
