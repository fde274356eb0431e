import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One pass of one 3x3/pad-1 convolution (CHANNELS in and out, or CIN:COUT for a pruned layer's), repeated for a given time: the median GFLOP/s (FLOPs of the
 * direct convolution). SIZE may name a stride and a kernel size too: {@code 32/2} is a 3x3 stride-2 layer on a
 * 32x32 input, {@code 32/2/1} a 1x1 stride-2 one (ResNet's shortcut); padding is always half the kernel. The loop behind the per-change figures in docs/performance.md: one JVM per
 * case, so no other kernel's profile shapes the compiled code. Compare two builds alternately with
 * {@code bench/ab_conv.sh}, or run one:
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages \
 *     -Dapoptosis.threads=1 -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" \
 *     bench/ConvPass.java CHANNELS SIZE fwd|in|wt SECONDS [BATCH]
 * </pre>
 */
public class ConvPass {
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: ConvPass CHANNELS|CIN:COUT SIZE[/STRIDE[/KERNEL]] fwd|in|wt SECONDS [BATCH (128)]");
            System.exit(2);
        }
        String[] io = args[0].split(":", 2);
        String[] size = args[1].split("/");
        int c = Integer.parseInt(io[0]), cout = Integer.parseInt(io[io.length - 1]), h = Integer.parseInt(size[0]);
        int stride = size.length > 1 ? Integer.parseInt(size[1]) : 1, k = size.length > 2 ? Integer.parseInt(size[2]) : 3;
        String pass = args[2];
        double seconds = Double.parseDouble(args[3]);
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        ConvGeometry g = ConvGeometry.builder().batch(batch).input(c, h, h).outChannels(cout).kernel(k).stride(stride).padding(k / 2).build();
        Random rng = new Random(1);
        Tensor x = Tensor.randn(rng, 1f, g.inputShape()), w = Tensor.randn(rng, 0.1f, g.weightShape());
        Tensor gy = Tensor.randn(rng, 1f, g.outputShape()), y = Tensor.zeros(g.outputShape());
        Tensor gx = Tensor.zeros(g.inputShape()), gw = Tensor.zeros(g.weightShape());
        double flops = 2.0 * batch * c * cout * k * k * g.outH() * g.outW();
        List<Double> ms = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end || ms.size() < 5) {
            long start = System.nanoTime();
            switch (pass) {
                case "fwd" -> Conv2dKernels.forwardInto(g, x, w, null, y, false);
                case "in" -> Conv2dKernels.backwardInputInto(g, gy, w, gx, false);
                case "wt" -> Conv2dKernels.backwardWeightInto(g, x, gy, gw, false);
                default -> throw new IllegalArgumentException("pass must be fwd, in or wt, got " + pass);
            }
            ms.add((System.nanoTime() - start) / 1e6);
        }
        // The first half is warm-up for the JIT compiler.
        List<Double> timed = new ArrayList<>(ms.subList(ms.size() / 2, ms.size()));
        Collections.sort(timed);
        double median = timed.get(timed.size() / 2);
        System.out.printf("%s c%s h%s batch %d: median %.3f ms %.1f GFLOP/s (%d passes)%n", pass, args[0], args[1], batch, median,
                flops / median / 1e6, ms.size());
    }
}
