import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.conv.ConvPath;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One convolution pass through im2col + GEMM and through the implicit GEMM ({@code ImplicitGemmConv2d}),
 * alternated in one JVM (6 rounds, the first discarded): the figures behind
 * {@code ImplicitGemmConv2d.applies}. GFLOP/s count the dense {@code 2 N Cin Cout kH kW outH outW}.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages \
 *     -Dapoptosis.threads=1 -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" \
 *     bench/ImplicitConvPaths.java BATCH CIN COUT SIZE KERNEL STRIDE PAD fwd|in|wt SECONDS
 * </pre>
 * e.g. {@code 64 512 512 4 3 1 1 fwd 4}. {@code -Dpath=PaddedPlaneConv2d} compares that path instead (with
 * the implicit GEMM kept out of both sides), {@code -Dpath=PaddedPlaneWeightGradient} the weight gradient's
 * ({@code wt}) against the patch-rows and dot-product paths, {@code -Dpath=PhaseGradientConv2d} the stride-2
 * input gradient ({@code in}) against GEMM + col2im. Stride-1 convolutions with at least 32 channels and enough
 * Winograd tiles run as Winograd on both sides (a ratio of 1).
 */
public class ImplicitConvPaths {
    public static void main(String[] a) {
        if (a.length != 9) {
            System.err.println("usage: ImplicitConvPaths BATCH CIN COUT SIZE KERNEL STRIDE PAD fwd|in|wt SECONDS");
            System.exit(2);
        }
        // -Dpath names a ConvPath, or (as older commands do) the class that implements it.
        String name = System.getProperty("path", "ImplicitGemmConv2d");
        ConvPath path = switch (name) {
            case "ImplicitGemmConv2d" -> ConvPath.SMALL_OUTPUTS;
            case "PaddedPlaneConv2d" -> ConvPath.PADDED_PLANES;
            case "PhasePlaneConv2d" -> ConvPath.PHASE_PLANES;
            case "PhaseGradientConv2d" -> ConvPath.PHASE_GRADIENT;
            case "PaddedPlaneWeightGradient" -> ConvPath.PADDED_PLANE_WEIGHTS;
            case "BatchInnerWeightGradient" -> ConvPath.BATCH_INNER_WEIGHTS;
            default -> ConvPath.valueOf(name);
        };
        // The other path compared with im2col + GEMM: the small-output implicit GEMM stays out of both sides.
        if (path != ConvPath.SMALL_OUTPUTS) ConvPath.SMALL_OUTPUTS.force(false);
        int n = Integer.parseInt(a[0]), cin = Integer.parseInt(a[1]), cout = Integer.parseInt(a[2]), h = Integer.parseInt(a[3]);
        ConvGeometry g = ConvGeometry.builder().batch(n).input(cin, h, h).outChannels(cout).kernel(Integer.parseInt(a[4]))
                .stride(Integer.parseInt(a[5])).padding(Integer.parseInt(a[6])).build();
        boolean forward = a[7].equals("fwd"), weights = a[7].equals("wt");
        double seconds = Double.parseDouble(a[8]);
        java.util.Random rng = new java.util.Random(1);
        Tensor x = Tensor.randn(rng, 1f, g.inputShape()), w = Tensor.randn(rng, 0.1f, g.weightShape());
        Tensor gy = Tensor.randn(rng, 1f, g.outputShape()), y = Tensor.zeros(g.outputShape()), gx = Tensor.zeros(g.inputShape());
        Tensor gw = Tensor.zeros(g.weightShape());
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < 6; round++) {
            for (int side = 0; side < 2; side++) {
                path.force(side == 1);
                long end = System.nanoTime() + (long) (seconds / 6 * 1e9);
                for (int reps = 0; System.nanoTime() < end || reps < 2; reps++) {
                    long t0 = System.nanoTime();
                    if (forward) Conv2dKernels.forwardInto(g, x, w, null, y, false);
                    else if (weights) Conv2dKernels.backwardWeightInto(g, x, gy, gw, false);
                    else Conv2dKernels.backwardInputInto(g, gy, w, gx, false);
                    if (round > 0) ms.get(side).add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        double gemm = median(ms.get(0)), implicit = median(ms.get(1)), flops = 2.0 * g.macs();
        System.out.printf("%s %s  im2col+GEMM %.2f ms (%.0f GFLOP/s)  %s %.2f ms (%.0f GFLOP/s)  speed-up %.2f%n",
                a[7], g, gemm, flops / gemm / 1e6, path, implicit, flops / implicit / 1e6, gemm / implicit);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
