import dev.apoptosis.tensor.gemm.Gemm;

/**
 * One sgemm shape, {@code C = A op(B)} with A m x k and B k x n ({@code nn}) or n x k ({@code nt}: a linear
 * layer's forward, attention's Q K^T), repeated for 4 seconds: the median GFLOP/s. Alternate two builds'
 * jars to compare a packing or kernel change on shapes `bench kernels` does not time.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -Dapoptosis.threads=1 -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" \
 *     bench/SgemmShape.java M N K nn|nt
 * </pre>
 */
public class SgemmShape {
    public static void main(String[] a) {
        if (a.length != 4) {
            System.err.println("usage: SgemmShape M N K nn|nt");
            System.exit(2);
        }
        int m = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]), k = Integer.parseInt(a[2]);
        boolean nt = a[3].equals("nt");
        float[] x = new float[m * k], y = new float[n * k], c = new float[m * n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < y.length; i++) y[i] = r.nextFloat();
        java.util.List<Double> ms = new java.util.ArrayList<>();
        for (long end = System.nanoTime() + 4_000_000_000L; System.nanoTime() < end; ) {
            long t0 = System.nanoTime();
            Gemm.sgemm(false, nt, m, n, k, 1f, x, 0, k, y, 0, nt ? k : n, 0f, c, 0, n);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        java.util.Collections.sort(ms);
        System.out.printf("sgemm %s %dx%dx%d: %.1f GFLOP/s (median of %d)%n", a[3], m, n, k, 2.0 * m * n * k / ms.get(ms.size() / 2) / 1e6,
                ms.size());
    }
}
