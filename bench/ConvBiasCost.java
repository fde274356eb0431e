import dev.apoptosis.tensor.Tensor;
import dev.apoptosis.tensor.conv.Conv2dKernels;
import dev.apoptosis.tensor.window.ConvGeometry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
/**
 * What a bias costs a convolution's forward pass: each shape with and without a bias, alternated in one JVM
 * (ABBA, 400 passes, the first 80 discarded), median ms of each and their ratio.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx8g -XX:+UseG1GC -XX:+UseTransparentHugePages \
 *     -Dapoptosis.threads=1 -cp "target/apoptosis-0.1.0-SNAPSHOT.jar:target/lib/*" \
 *     bench/ConvBiasCost.java CIN,COUT,SIZE,STRIDE,KERNEL...
 * </pre>
 * e.g. {@code 16,16,32,1,3 32,15,8,1,3 3,16,32,1,3} (padded planes, the small-output implicit GEMM, im2col + GEMM); batch 128.
 */
public class ConvBiasCost { public static void main(String[] a) {
  for (String spec : a) {
    String[] p = spec.split(","); int ci=Integer.parseInt(p[0]), co=Integer.parseInt(p[1]), h=Integer.parseInt(p[2]), s=Integer.parseInt(p[3]), k=Integer.parseInt(p[4]);
    ConvGeometry g = ConvGeometry.builder().batch(128).input(ci,h,h).outChannels(co).kernel(k).stride(s).padding(k/2).build();
    Random r = new Random(1);
    Tensor x = Tensor.randn(r,1f,g.inputShape()), w = Tensor.randn(r,.1f,g.weightShape()), b = Tensor.randn(r,.1f,co);
    List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
    for (int i=0;i<400;i++){ int side=(i/2)%2==0? i%2 : 1-i%2; long t=System.nanoTime(); Tensor y = Conv2dKernels.forward(g,x,w, side==1? b: null); if(i>=80) ms.get(side).add((System.nanoTime()-t)/1e6); dev.apoptosis.tensor.Recycler.give(y.data()); }
    for (List<Double> m : ms) Collections.sort(m);
    double n0=ms.get(0).get(ms.get(0).size()/2), n1=ms.get(1).get(ms.get(1).size()/2);
    System.out.printf("%s: no bias %.3f ms, bias %.3f ms, ratio %.3f%n", spec, n0, n1, n0/n1);
  }
}}
