package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of built-in architectures: a name maps to a builder taking {@link ModelOptions}
 * (classes, input shape, width, seed) and returning a freshly initialised {@link Graph}.
 *
 * <p>Node names follow torchvision's module names ({@code layer1.0.conv1}, {@code features.3},
 * {@code fc}) so weights can be compared or imported by name.
 */
public final class ModelZoo {
    /** One registered architecture. */
    public record Entry(String name, String description, Function<ModelOptions, Graph> builder) {}

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        register("mlp", "multi-layer perceptron: Flatten, 2 x (Linear + ReLU), Linear; width = hidden units (default 256)", Mlp::build);
        register("digits-cnn", "small BatchNorm CNN for 8x8 images (the demo's): 3 conv+BN+ReLU, max-pool, global pool, fc; "
                + "width = first conv channels (default 16)", DigitsCnn::build);
        register("lenet5", "LeNet-5 with ReLU and max-pooling (28x28: first conv padded); width = first conv channels (default 6)", LeNet5::build);
        for (int depth : new int[] {20, 32, 56}) {
            register("resnet" + depth, "CIFAR ResNet-" + depth + " (He et al. 2016), 1x1 conv+BN shortcuts; width = first stage channels"
                    + " (16 classic, 64 wide)", o -> CifarResNet.build(depth, o));
        }
        for (int depth : new int[] {11, 16, 19}) {
            register("vgg" + depth, "VGG-" + depth + " with BatchNorm for CIFAR, one Linear classifier; width = first stage channels (default 64)",
                    o -> Vgg.build(depth, o));
        }
        register("resnet50", "ImageNet ResNet-50 (bottleneck, stride in the 3x3 conv as torchvision); default input 3x224x224",
                ResNet50::build);
        register("vit", "Vision Transformer for CIFAR: patch 4, depth 6, width D = --width (default 192), D/64 heads, MLP 4D",
                Vit::cifar);
        register("vit-tiny", "ViT-Ti/16: patch 16, depth 12, width 192, 3 heads, MLP 768; default input 3x224x224", Vit::tiny);
        register("vit-b16", "ViT-B/16 (torchvision vit_b_16): patch 16, depth 12, width 768, 12 heads, MLP 3072; default input 3x224x224",
                Vit::base16);
    }

    private ModelZoo() {}

    private static void register(String name, String description, Function<ModelOptions, Graph> builder) {
        MODELS.put(name, new Entry(name, description, builder));
    }

    /** Registered names, in registration order. */
    public static Map<String, Entry> entries() {
        return Collections.unmodifiableMap(MODELS);
    }

    /** True if {@code name} is a registered model. */
    public static boolean has(String name) {
        return MODELS.containsKey(name);
    }

    /** Builds model {@code name}; an unknown name is an error listing the known ones. */
    public static Graph build(String name, ModelOptions options) {
        Entry e = MODELS.get(name);
        if (e == null) throw new IllegalArgumentException("unknown model '" + name + "'; known models: " + String.join(", ", MODELS.keySet()));
        return e.builder().apply(options);
    }
}
