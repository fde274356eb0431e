package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The surgery invariant on every zoo model and every prunable group, at small inputs. */
class ZooSurgeryTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("mlp", 0, new int[] {1, 8, 8}),
                Arguments.of("lenet5", 0, new int[] {1, 28, 28}),
                Arguments.of("resnet20", 0, new int[] {3, 8, 8}),
                Arguments.of("resnet56", 8, new int[] {3, 8, 8}),
                Arguments.of("vgg11", 8, new int[] {3, 32, 32}),
                Arguments.of("resnet50", 8, new int[] {3, 32, 32}),
                Arguments.of("vit-tiny", 64, new int[] {3, 32, 32}));
    }

    static Graph build(String model, int width, int[] input) {
        ModelOptions o = ModelOptions.defaults().withClasses(5).withInput(input[0], input[1], input[2]).withSeed(7);
        if (width > 0) o = o.withWidth(width);
        return ModelZoo.build(model, o);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyPrunableGroupSurvivesSurgery(String model, int width, int[] input) {
        Random rng = new Random(11);
        Tensor x = Tensor.randn(rng, 1f, 2, input[0], input[1], input[2]);
        DependencyGroups groups = DependencyGroups.of(build(model, width, input));
        assertFalse(groups.prunable().isEmpty(), model + " has no prunable group");
        for (Group g : groups.prunable()) {
            SurgeryInvariant.check(build(model, width, input), g.id(), x, rng);
        }
    }
}
