package dev.apoptosis.models;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Add;
import dev.apoptosis.graph.ops.ClassToken;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.GELU;
import dev.apoptosis.graph.ops.LayerNorm;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.graph.ops.MatMul;
import dev.apoptosis.graph.ops.Permute;
import dev.apoptosis.graph.ops.PositionalEmbedding;
import dev.apoptosis.graph.ops.Reshape;
import dev.apoptosis.graph.ops.Scale;
import dev.apoptosis.graph.ops.SelectToken;
import dev.apoptosis.graph.ops.Softmax;

/**
 * Vision Transformer (Dosovitskiy et al. 2021), pre-norm, class-token head, as timm's
 * {@code VisionTransformer}:
 * <pre>
 *   patches: Conv2d(D, p×p, stride p) → [D, h, w] → Reshape [D, T] → Permute → [T, D]
 *   tokens:  ClassToken → [T+1, D] → PositionalEmbedding
 *   block ×L: x += proj(attention(LN(x)));  x += fc2(GELU(fc1(LN(x))))
 *   head:    LN → SelectToken(0) → Linear(classes)
 * </pre>
 * Attention with H heads of width d = D/H: q, k, v = three Linear(D) (timm fuses them into one qkv
 * Linear with the same parameter count), each Reshape [T, H, d] → Permute → [H, T, d];
 * scores = q·kᵀ (MatMul) scaled by 1/√d, Softmax, context = p·v (MatMul), Permute and Reshape back
 * to [T, D], then proj. LayerNorm ε = 1e-6 as in ViT.
 */
final class Vit {
    /** An architecture: patch size, width D, depth L, heads H, MLP width. */
    record Spec(int patch, int dim, int depth, int heads, int mlp) {
        Spec {
            if (dim % heads != 0) throw new IllegalArgumentException("vit: width " + dim + " is not divisible by " + heads + " heads");
        }
    }

    private Vit() {}

    /** CIFAR ViT: patch 4, depth 6, width D (default 192), D/64 heads, MLP 4D. */
    static Graph cifar(ModelOptions o) {
        int d = o.widthOr(192);
        if (d % 64 != 0) throw new IllegalArgumentException("vit: --width must be a multiple of 64 (heads of width 64), got " + d);
        return build("vit", new Spec(4, d, 6, d / 64, 4 * d), o.inputOr(3, 32, 32), o);
    }

    /** ViT-Ti/16: patch 16, width 192 (or --width, heads D/64), depth 12, MLP 4D; default input 3x224x224. */
    static Graph tiny(ModelOptions o) {
        int d = o.widthOr(192);
        if (d % 64 != 0) throw new IllegalArgumentException("vit-tiny: --width must be a multiple of 64, got " + d);
        return build("vit-tiny", new Spec(16, d, 12, d / 64, 4 * d), o.inputOr(3, 224, 224), o);
    }

    /** ViT-B/16 as torchvision's {@code vit_b_16}: patch 16, width 768 (or --width, heads D/64), depth 12, MLP 4D; input 3x224x224. */
    static Graph base16(ModelOptions o) {
        int d = o.widthOr(768);
        if (d % 64 != 0) throw new IllegalArgumentException("vit-b16: --width must be a multiple of 64, got " + d);
        return build("vit-b16", new Spec(16, d, 12, d / 64, 4 * d), o.inputOr(3, 224, 224), o);
    }

    static Graph build(String name, Spec s, int[] in, ModelOptions o) {
        Blocks.requireImage(name, in);
        if (in[1] % s.patch() != 0 || in[2] % s.patch() != 0) {
            throw new IllegalArgumentException(name + ": input " + in[1] + "x" + in[2] + " is not divisible into " + s.patch() + "x"
                    + s.patch() + " patches");
        }
        int tokens = (in[1] / s.patch()) * (in[2] / s.patch());
        GraphBuilder b = new GraphBuilder(name, o.seed());
        Node x = b.input("input", in);
        x = b.add("patch_embed.proj", Conv2d.of(s.dim(), s.patch(), s.patch(), 0, true), x);
        x = b.add("patch_embed.flatten", new Reshape(s.dim(), tokens), x);
        x = b.add("patch_embed.transpose", new Permute(1, 0), x);
        x = b.add("cls_token", new ClassToken(), x);
        x = b.add("pos_embed", new PositionalEmbedding(), x);
        for (int i = 0; i < s.depth(); i++) x = block(b, "blocks." + i, x, s, tokens + 1);
        x = b.add("norm", new LayerNorm(1e-6), x);
        x = b.add("cls", new SelectToken(0), x);
        return b.build(b.add("head", Linear.of(o.numClasses()), x));
    }

    static Node block(GraphBuilder b, String p, Node x, Spec s, int t) {
        int h = s.heads(), d = s.dim() / h;
        Node n = b.add(p + ".norm1", new LayerNorm(1e-6), x);
        Node q = heads(b, p + ".attn.q", n, s, t);
        Node k = heads(b, p + ".attn.k", n, s, t);
        Node v = heads(b, p + ".attn.v", n, s, t);
        Node scores = b.add(p + ".attn.scale", new Scale(1.0 / Math.sqrt(d)), b.add(p + ".attn.qk", new MatMul(true), q, k));
        Node attn = b.add(p + ".attn.softmax", new Softmax(), scores);
        Node ctx = b.add(p + ".attn.av", new MatMul(), attn, v);
        ctx = b.add(p + ".attn.merge", new Reshape(t, s.dim()), b.add(p + ".attn.unpermute", new Permute(1, 0, 2), ctx));
        x = b.add(p + ".add1", new Add(), x, b.add(p + ".attn.proj", Linear.of(s.dim()), ctx));
        Node m = b.add(p + ".norm2", new LayerNorm(1e-6), x);
        m = b.add(p + ".mlp.fc2", Linear.of(s.dim()), b.add(p + ".mlp.act", new GELU(), b.add(p + ".mlp.fc1", Linear.of(s.mlp()), m)));
        return b.add(p + ".add2", new Add(), x, m);
    }

    /** Linear(D) then [T, D] → [T, H, d] → [H, T, d]. */
    private static Node heads(GraphBuilder b, String name, Node x, Spec s, int t) {
        Node y = b.add(name, Linear.of(s.dim()), x);
        y = b.add(name + ".split", new Reshape(t, s.heads(), s.dim() / s.heads()), y);
        return b.add(name + ".heads", new Permute(1, 0, 2), y);
    }
}
