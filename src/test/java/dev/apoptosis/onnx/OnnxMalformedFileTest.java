package dev.apoptosis.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile files: every problem is an {@link OnnxFormatException} naming the file and
 * the problem, never another exception, a hang or a giant allocation (declared sizes are checked
 * against the bytes present before anything is allocated).
 */
class OnnxMalformedFileTest {
    private static final Path FILE = Path.of("bad.onnx");

    private static OnnxFormatException fails(byte[] bytes) {
        return assertThrows(OnnxFormatException.class, () -> OnnxImport.toGraph(OnnxFile.decode(FILE, bytes), FILE));
    }

    private static void assertMessage(OnnxFormatException e, String... parts) {
        assertTrue(e.getMessage().startsWith("ONNX model bad.onnx: "), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    private static byte[] lenet() {
        Graph g = ModelZoo.build("lenet5", ModelOptions.defaults().withInput(1, 28, 28));
        return OnnxFile.encode(OnnxExport.toModel(g, Map.of(), OnnxExport.Options.defaults()));
    }

    @Test
    void everyTruncationIsAnErrorNotACrash() {
        byte[] full = lenet();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int cut = 0; cut < full.length; cut += Math.max(1, full.length / 400)) {
                fails(Arrays.copyOf(full, cut));
            }
        });
        assertMessage(fails(new byte[0]), "empty file");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws Exception {
        corrupt(lenet(), 4000);
        // PyTorch's nn.TransformerEncoder file: shape arithmetic, moved-batch views; corrupt its nodes, not its weights
        byte[] mha = java.nio.file.Files.readAllBytes(TorchExportedImportTest.resource("mha17.onnx"));
        corrupt(mha, 20000);
    }

    private static void corrupt(byte[] full, int within) {
        Random r = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int trial = 0; trial < 300; trial++) {
                byte[] b = full.clone();
                for (int k = 0; k < 1 + r.nextInt(4); k++) b[r.nextInt(Math.min(b.length, within))] = (byte) r.nextInt(256);
                try {
                    OnnxImport.toGraph(OnnxFile.decode(FILE, b), FILE);
                } catch (OnnxFormatException expected) {
                    // a clear error is fine; anything else escapes and fails the test
                }
            }
        });
    }

    @Test
    void aHundredByteFileDeclaringTwoGigabytesFailsWithoutAllocating() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x3a); // field 7 (graph), length-delimited
        for (byte x : new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}) b.write(x); // 2^31 - 2
        b.writeBytes(new byte[94]);
        assertMessage(fails(b.toByteArray()), "declares 2147483646 bytes but only 94 remain");
    }

    @Test
    void tensorDimensionsThatDoNotMatchTheDataAreNamed() {
        TinyOnnx t = new TinyOnnx().input("x", 4);
        t.inits.add(new OnnxTensor("w", OnnxTensor.FLOAT, new long[] {1_000_000_000L, 1_000_000_000L}, new byte[16], null, null, false));
        t.node("fc", "Gemm", List.of("x", "w"), "y", OnnxAttribute.ofInt("transB", 1));
        assertMessage(fails(t.bytes()), "tensor 'w' declares [1000000000, 1000000000]", "holds 16 bytes");
        TinyOnnx u = new TinyOnnx().input("x", 4);
        u.inits.add(new OnnxTensor("w", OnnxTensor.FLOAT, new long[] {Long.MAX_VALUE, 4}, new byte[16], null, null, false));
        u.node("fc", "Gemm", List.of("x", "w"), "y");
        assertMessage(fails(u.bytes()), "absurd dimensions");
    }

    @Test
    void absurdInputDimensionsAreRefused() {
        TinyOnnx t = new TinyOnnx().input("x", 100000, 100000, 100000);
        t.node("r", "Relu", List.of("x"), "y");
        assertMessage(fails(t.bytes()), "input 'x'", "absurd dimensions");
    }

    @Test
    void aFieldOfTheWrongWireTypeIsNamed() {
        // ir_version (field 1) written as a length-delimited value instead of a varint
        byte[] b = {0x0a, 0x02, 0x01, 0x02};
        assertMessage(fails(b), "ModelProto field 1", "wrong field type");
    }

    @Test
    void missingInitializersAndCyclesNameTheNode() {
        TinyOnnx t = new TinyOnnx().input("x", 4);
        t.node("fc", "Gemm", List.of("x", "nowhere"), "y");
        assertMessage(fails(t.bytes()), "'fc' (Gemm) reads 'nowhere'");
        TinyOnnx c = new TinyOnnx().input("x", 4);
        c.node("a", "Add", List.of("x", "b_out"), "a_out");
        c.node("b", "Relu", List.of("a_out"), "b_out");
        assertMessage(fails(c.bytes()), "'a' (Add) reads 'b_out'", "cycle");
        TinyOnnx d = new TinyOnnx().input("x", 4);
        d.node("a", "Relu", List.of("x"), "y");
        d.node("b", "Relu", List.of("x"), "y");
        assertMessage(fails(d.bytes()), "'b' (Relu) defines 'y', which is already defined");
    }

    @Test
    void everyUnknownOpIsListedNotOnlyTheFirst() {
        TinyOnnx t = new TinyOnnx().input("x", 3, 8, 8);
        t.node("first", "LSTM", List.of("x"), "a");
        t.node("", "Relu", List.of("a"), "b");
        t.node("third", "NonMaxSuppression", List.of("b"), "c");
        t.nodes.add(new OnnxNode("fourth", "Gelu", "com.microsoft", List.of("c"), List.of("d"), List.of()));
        t.output = "d";
        assertMessage(fails(t.bytes()), "3 node(s)", "'first' (LSTM)", "'third' (NonMaxSuppression)",
                "'fourth' (Gelu) of domain 'com.microsoft'");
    }

    @Test
    void everyUnsupportedFormIsListedWithItsReason() {
        TinyOnnx t = new TinyOnnx().input("x", 3, 8, 8);
        t.node("conv", "Conv", List.of("x", t.weight("w", 4, 3, 3, 3)), "a", OnnxAttribute.ofInts("pads", 0, 0, 1, 1));
        t.node("pool", "MaxPool", List.of("x"), "b", OnnxAttribute.ofInts("kernel_shape", 2, 2), OnnxAttribute.ofInt("strange", 1));
        t.node("clip", "Clip", List.of("x", t.floats("lo", new long[0], -1f), t.floats("hi", new long[0], 1f)), "c");
        t.node("soft", "Softmax", List.of("x"), "d", OnnxAttribute.ofInt("axis", 1));
        t.node("sum", "Add", List.of("c", "d"), "e");
        assertMessage(fails(t.bytes()), "4 node(s) cannot be imported", "'conv' (Conv): asymmetric pads [0, 0, 1, 1]",
                "'pool' (MaxPool): attribute 'strange' is not supported", "'clip' (Clip): Clip to [-1.0, 1.0]",
                "'soft' (Softmax): axis 1 (only the last axis)");
    }

    @Test
    void aLoneSigmoidIsAnErrorNamingItsConsumer() {
        TinyOnnx t = new TinyOnnx().input("x", 5);
        t.node("sig", "Sigmoid", List.of("x"), "s");
        t.node("fc", "Gemm", List.of("s", t.weight("w", 3, 5)), "y", OnnxAttribute.ofInt("transB", 1));
        assertMessage(fails(t.bytes()), "'fc' (Gemm): input 0 reads sigmoid(x)", "x·sigmoid(x), SiLU");
    }
}
