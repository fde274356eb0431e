package dev.apoptosis.tensor.conv;

/**
 * Chooses whether eligible 3x3 convolutions run as Winograd F(2x2, 3x3) ({@code WinogradConv2d})
 * or as im2col + GEMM ({@code GemmConv2d}).
 *
 * <p>{@link Mode#AUTO} (the default) uses Winograd where it was measured to be faster (see
 * {@code WinogradConv2d#worthwhile}); {@link Mode#NEVER} forces the GEMM path, {@link Mode#ALWAYS}
 * takes Winograd for every geometry it supports (for tests and comparisons). The system property
 * {@code apoptosis.winograd} sets the initial mode: {@code false} means NEVER, {@code always} ALWAYS.
 * Kernels read {@link #mode()} on each call, so tests can switch it.
 */
public final class Winograd {
    /** See the class comment. */
    public enum Mode { AUTO, ALWAYS, NEVER }

    private static volatile Mode mode = initial(System.getProperty("apoptosis.winograd"));

    private Winograd() {}

    private static Mode initial(String p) {
        if (p == null || p.isBlank() || p.equalsIgnoreCase("true") || p.equalsIgnoreCase("auto")) return Mode.AUTO;
        if (p.equalsIgnoreCase("false") || p.equalsIgnoreCase("never")) return Mode.NEVER;
        if (p.equalsIgnoreCase("always")) return Mode.ALWAYS;
        throw new IllegalArgumentException("apoptosis.winograd must be true, false, auto or always, got '" + p + "'");
    }

    /** The current mode. */
    public static Mode mode() {
        return mode;
    }

    /** Sets the mode; for tests and benchmarks. */
    public static void setMode(Mode m) {
        if (m == null) throw new IllegalArgumentException("Winograd mode must not be null");
        mode = m;
    }
}
