import dev.apoptosis.tensor.gemm.GemmVectorKernel;

/**
 * {@code GemmVectorKernel.multiplySteps} alone, on the step tables of a 512-channel 4x4 implicit GEMM
 * (one k block of 922 steps), with B's offsets from three patterns: {@code l1} (64 panels, cycled: B in
 * L1), {@code seq} (one sequential stream) and {@code taps9} (the nine taps of each channel, pixel rows a
 * batch-innermost plane apart, as in the real pass). GFLOP/s of the kernel's multiply-adds, 4 rounds of
 * one second each; the kernel's instruction-bound rate on this CPU, to hold a pass's figure against.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" bench/StepsKernel.java
 * </pre>
 */
public class StepsKernel {
    public static void main(String[] a) {
        int n = 922, cin = 512, np = 64, px = ((cin * np + 15) / 16 | 1) * 16, w = 4, mr = GemmVectorKernel.MR, nr = GemmVectorKernel.NR;
        float[] ap = new float[4608 * mr], xt = new float[16 * px + 2 * nr], tile = new float[mr * nr];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < ap.length; i++) ap[i] = r.nextFloat();
        for (int i = 0; i < xt.length; i++) xt[i] = r.nextFloat();
        for (int round = 0; round < 4; round++) {
            for (String m : new String[] {"l1", "seq", "taps9"}) {
                int[] steps = new int[2 * n];
                for (int s = 0, c = 100, t = 0; s < n; s++) {
                    steps[2 * s] = s;
                    steps[2 * s + 1] = switch (m) {
                        case "l1" -> (s % 64) * nr;
                        case "seq" -> s * nr;
                        default -> (t / 3 * w + t % 3) * px + c * nr;
                    };
                    if (++t == 9) {
                        t = 0;
                        c++;
                    }
                }
                long t0 = System.nanoTime(), reps = 0;
                while (System.nanoTime() - t0 < 1_000_000_000L) {
                    for (int q = 0; q < 100; q++) GemmVectorKernel.multiplySteps(n, steps, ap, 0, xt, 0, tile);
                    reps += 100;
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                System.out.printf("round %d %-5s %.1f GFLOP/s%n", round, m, reps * n * 2.0 * mr * nr / sec / 1e9);
            }
        }
    }
}
