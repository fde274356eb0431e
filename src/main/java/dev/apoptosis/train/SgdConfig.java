package dev.apoptosis.train;

/**
 * Hyperparameters of {@link Sgd} other than the learning rate (which a schedule supplies per step).
 *
 * @param momentum    μ in [0, 1); 0 disables the momentum buffer
 * @param weightDecay λ ≥ 0, L2 decay added to the gradient (applied to every trainable parameter, as PyTorch)
 * @param nesterov    Nesterov momentum; needs μ &gt; 0
 */
public record SgdConfig(double momentum, double weightDecay, boolean nesterov) {
    public SgdConfig {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
    }

    /** Plain SGD: no momentum, no decay. */
    public static SgdConfig plain() {
        return new SgdConfig(0, 0, false);
    }
}
