package dev.apoptosis.tensor.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.apoptosis.tensor.Simd;
import dev.apoptosis.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scalar path runs in a JVM that has no {@code jdk.incubator.vector} module at all: the
 * activation kernels, which reach their Vector API twins only through method references taken on
 * the vector path, must not load them. A child JVM started without {@code --add-modules} runs
 * {@link #main} (every activation kernel, array and tensor form); it would die with
 * NoClassDefFoundError if a twin were loaded.
 */
class ScalarPathWithoutVectorModuleTest {
    @Test
    void activationKernelsRunWithoutTheVectorModule() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ScalarPathWithoutVectorModuleTest.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(!p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        assertEquals("scalar ok 3", out.strip(), out);
    }

    /** Runs in the child JVM. */
    public static void main(String[] args) {
        if (Simd.available()) throw new IllegalStateException("the child JVM should not have the vector module");
        int checked = 0;
        for (ActivationKernels k : new ActivationKernels[] {Gelu.GELU, Silu.SILU, TanhKernels.TANH}) {
            float[] x = {-3f, -0.5f, 0f, 0.25f, 2f}, v = {1f, 2f, 3f, 4f, 5f}, out = new float[5];
            k.forward(x, 0, out, 0, 5);
            k.backward(x, 0, v, 0, out, 0, 5);
            k.rBackward(x, 0, v, 0, v, 0, x, 0, out, 0, 5);
            Tensor t = Tensor.wrap(x.clone(), 5);
            k.rBackward(t, k.backward(t, t), k.forward(t), t);
            if (out[4] != k.rBackward(2f, 5f, 5f, 2f)) throw new AssertionError(k.name() + ": " + out[4]);
            checked++;
        }
        System.out.println("scalar ok " + checked);
    }
}
