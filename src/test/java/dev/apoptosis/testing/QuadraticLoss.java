package dev.apoptosis.testing;

import dev.apoptosis.graph.Curvature;
import dev.apoptosis.graph.Loss;
import dev.apoptosis.tensor.Tensor;
import java.util.Random;

/**
 * A test loss with curvature of its own and no dependence on labels: L = Σ (r ⊙ y + ½ s ⊙ y²) with
 * fixed random r and s &gt; 0. Its gradient r + s ⊙ y and R-gradient s ⊙ ẏ exercise every path of an
 * op's rules (including the J<sup>T</sup>ġ part of rBackward) for outputs of any shape.
 */
public final class QuadraticLoss implements Loss {
    private final long seed;

    public QuadraticLoss(long seed) {
        this.seed = seed;
    }

    @Override
    public Evaluation evaluate(Tensor y, int[] labels) {
        Random rng = new Random(seed);
        int n = y.size();
        float[] r = new float[n], s = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = (float) rng.nextGaussian();
            s[i] = 0.5f + rng.nextFloat();
        }
        double v = 0;
        for (int i = 0; i < n; i++) {
            double yi = y.at(i);
            v += r[i] * yi + 0.5 * s[i] * yi * yi;
        }
        final double value = v;
        return new Evaluation() {
            @Override public double value() {
                return value;
            }

            @Override public Tensor gradient() {
                Tensor g = Tensor.zeros(y.shape());
                for (int i = 0; i < n; i++) g.setAt(i, r[i] + s[i] * y.at(i));
                return g;
            }

            @Override public Tensor rGradient(Tensor yDot, Curvature c) {
                if (yDot == null || !c.lossCurvature()) return null;
                Tensor g = Tensor.zeros(y.shape());
                for (int i = 0; i < n; i++) g.setAt(i, s[i] * yDot.at(i));
                return g;
            }
        };
    }
}
