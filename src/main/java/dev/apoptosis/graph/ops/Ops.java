package dev.apoptosis.graph.ops;

import dev.apoptosis.graph.OpRegistry;

/** Registers every op kind of this package with {@link OpRegistry}: the one list of supported ops. */
public final class Ops {
    private static boolean done;

    private Ops() {}

    public static synchronized void ensureRegistered() {
        if (done) return;
        done = true;
        OpRegistry.register("Input", Input::fromAttrs);
        OpRegistry.register("Linear", Linear::fromAttrs);
        OpRegistry.register("ReLU", a -> new ReLU());
        OpRegistry.register("ReLU6", a -> new ReLU6());
        OpRegistry.register("Add", a -> new Add());
        OpRegistry.register("Conv2d", Conv2d::fromAttrs);
        OpRegistry.register("BatchNorm2d", BatchNorm2d::fromAttrs);
        OpRegistry.register("MaxPool2d", MaxPool2d::fromAttrs);
        OpRegistry.register("AvgPool2d", AvgPool2d::fromAttrs);
        OpRegistry.register("GlobalAvgPool", a -> new GlobalAvgPool());
        OpRegistry.register("Flatten", a -> new Flatten());
        OpRegistry.register("Reshape", Reshape::fromAttrs);
        OpRegistry.register("Concat", a -> new Concat());
        OpRegistry.register("Dropout", Dropout::fromAttrs);
        OpRegistry.register("Scale", Scale::fromAttrs);
        // Transformer / ViT ops
        OpRegistry.register("LayerNorm", LayerNorm::fromAttrs);
        OpRegistry.register("GELU", a -> new GELU());
        OpRegistry.register("SiLU", a -> new SiLU());
        OpRegistry.register("Tanh", a -> new Tanh());
        OpRegistry.register("Softmax", a -> new Softmax());
        OpRegistry.register("MatMul", MatMul::fromAttrs);
        OpRegistry.register("Permute", Permute::fromAttrs);
        OpRegistry.register("ClassToken", a -> new ClassToken());
        OpRegistry.register("PositionalEmbedding", a -> new PositionalEmbedding());
        OpRegistry.register("Embedding", Embedding::fromAttrs);
        OpRegistry.register("SelectToken", SelectToken::fromAttrs);
    }
}
