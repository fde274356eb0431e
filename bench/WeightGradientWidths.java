import dev.apoptosis.tensor.Parallel;
import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.Arrays;
import java.util.Random;

/**
 * Weight-gradient time of 3x3/pad-1 convolutions at batch 128 over channel counts that are and are not
 * multiples of the GEMM kernel's 32-lane panel, on one thread: the measurement behind
 * {@code ImplicitIm2row.applies}. Compare two builds (one with that rule changed) by running this on each,
 * alternated:
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" bench/WeightGradientWidths.java
 * </pre>
 *
 * Images are 16x16 up to 48 channels and 8x8 above; filters = max(channels, 24). Each case is warmed for
 * a second, then the median of 7 calls is printed in ms.
 */
public class WeightGradientWidths {
    public static void main(String[] args) {
        Parallel.setThreads(1);
        int[] channels = {20, 24, 40, 48, 64, 90, 96, 120};
        for (int round = 1; round <= 3; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int c : channels) {
                int hw = c <= 48 ? 16 : 8, filters = Math.max(c, 24);
                ConvGeometry g = ConvGeometry.builder().batch(128).input(c, hw, hw).outChannels(filters).kernel(3).padding(1).build();
                Tensor x = Tensor.randn(new Random(1), 1f, 128, c, hw, hw);
                Tensor gy = Tensor.randn(new Random(2), 1f, 128, filters, hw, hw);
                long end = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < end) Conv2dKernels.backwardWeight(g, x, gy);
                double[] ms = new double[7];
                for (int r = 0; r < ms.length; r++) {
                    long t0 = System.nanoTime();
                    Conv2dKernels.backwardWeight(g, x, gy);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                line.append(String.format(java.util.Locale.ROOT, "  c%d %.2f", c, ms[ms.length / 2]));
            }
            System.out.println(line);
        }
    }
}
