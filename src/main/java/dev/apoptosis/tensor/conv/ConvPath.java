package dev.apoptosis.tensor.conv;

import java.util.EnumSet;
import java.util.Set;

/**
 * The paths a convolution pass can take, declared once as data: which passes each serves, whether its
 * sums round as im2col + GEMM's do, and its switch.
 *
 * <p><b>Choosing.</b> Each path has a rule ({@code applies} in its class) that says where it is faster,
 * measured on one machine; the dispatch ({@link Conv2dKernels}, {@code GemmConv2d},
 * {@code GemmConvWeightGradient}) asks the rules in a fixed order and falls back to {@link #GEMM}. A
 * switch overrides a path's rule: {@link #force force(true)} takes the path wherever it is supported,
 * {@code false} never, {@code null} returns to the rule. {@link #pin} forces one path on and all others
 * off for a block of code: how tests run a geometry down a given path, and how
 * {@code apoptosis bench paths} times every path a geometry supports against the one the rules chose, to
 * check the rules on a new CPU.
 *
 * <p><b>Bits.</b> Paths marked {@link #sameBitsAsGemm} ({@link #SMALL_OUTPUTS}, {@link #PADDED_PLANES},
 * {@link #PHASE_PLANES}) form every output's sum in im2col + GEMM's order, so which of them runs never
 * shows in a result. The others round differently (each deterministically, whatever the thread count):
 * {@link #WINOGRAD}, {@link #PHASE_GRADIENT}, and every weight-gradient path, as GEMM's own weight-gradient
 * layouts do among themselves. A rule change that moves a geometry between two paths that are not both
 * marked changes results in the last bits ({@link #sameBits}).
 *
 * <p><b>Which path ran.</b> With {@link #trace} on, every path records itself when it starts a pass (the
 * implicit GEMMs through {@link ImplicitPath}'s dispatch);
 * {@link #lastTaken} tells which one did. Off (the default), recording costs one volatile read per pass.
 */
public enum ConvPath {
    /** One filter per channel ({@code DepthwiseConv2d}); no switch: depthwise layers always run here. */
    DEPTHWISE(true, false, Pass.FORWARD, Pass.INPUT, Pass.WEIGHT),
    /** Winograd F(2x2, 3x3) ({@code WinogradConv2d}); its switch is {@link Winograd#setMode}. */
    WINOGRAD(false, true, Pass.FORWARD, Pass.INPUT, Pass.WEIGHT),
    /** Outputs of at most 8x8 over whole panels of images, skipping the padded taps ({@code ImplicitGemmConv2d}). */
    SMALL_OUTPUTS(true, true, Pass.FORWARD, Pass.INPUT),
    /** "Same" 3-wide layers over padded planes ({@code PaddedPlaneConv2d}). */
    PADDED_PLANES(true, true, Pass.FORWARD, Pass.INPUT),
    /** 3x3 stride-2 layers over the input's four phase planes ({@code PhasePlaneConv2d}). */
    PHASE_PLANES(true, true, Pass.FORWARD),
    /** The 3x3 stride-2 input gradient as four small convolutions, one per input phase ({@code PhaseGradientConv2d}). */
    PHASE_GRADIENT(false, true, Pass.INPUT),
    /** Weight gradients as dot products over padded (or phase) planes ({@code PaddedPlaneWeightGradient}). */
    PADDED_PLANE_WEIGHTS(false, true, Pass.WEIGHT),
    /** Weight gradients as dot products along the batch ({@code BatchInnerWeightGradient}). */
    BATCH_INNER_WEIGHTS(false, true, Pass.WEIGHT),
    /**
     * The fallback: im2col (or the input in place) + {@code Gemm.sgemm}, col2im for input gradients of
     * other strides, and patch rows, rows read in place or dot products for weight gradients. Chosen when
     * no other path's rule applies; pinned, every other switch is off.
     */
    GEMM(true, false, Pass.FORWARD, Pass.INPUT, Pass.WEIGHT);

    /** The three passes of a convolution. */
    public enum Pass {
        FORWARD("fwd"), INPUT("in"), WEIGHT("wt");

        private final String label;

        Pass(String label) {
            this.label = label;
        }

        /** "fwd", "in" or "wt": as the benchmarks name passes. */
        public String label() {
            return label;
        }
    }

    private final boolean sameBitsAsGemm;
    private final boolean switchable;
    private final Set<Pass> passes;
    private volatile Boolean forced;

    private static volatile boolean tracing;
    private static volatile ConvPath last;

    ConvPath(boolean sameBitsAsGemm, boolean switchable, Pass first, Pass... more) {
        this.sameBitsAsGemm = sameBitsAsGemm;
        this.switchable = switchable;
        this.passes = EnumSet.of(first, more);
    }

    /** True when this path's outputs equal im2col + GEMM's bit for bit (see the class comment). */
    public boolean sameBitsAsGemm() {
        return sameBitsAsGemm;
    }

    /** True when {@code a} and {@code b} give the same bits for every geometry both take (see the class comment). */
    public static boolean sameBits(ConvPath a, ConvPath b) {
        return a == b || (a.sameBitsAsGemm && b.sameBitsAsGemm);
    }

    /** True when this path computes {@code pass} for some geometries. */
    public boolean serves(Pass pass) {
        return passes.contains(pass);
    }

    /** True when a switch can force this path on or off ({@link #DEPTHWISE} and {@link #GEMM} have none). */
    public boolean switchable() {
        return switchable;
    }

    /**
     * Overrides this path's rule: true takes it wherever it is supported, false never, null returns to the
     * rule. For tests and benchmarks: the switch is global, so no other work should run meanwhile.
     *
     * @throws IllegalStateException for {@link #DEPTHWISE} and {@link #GEMM}, which have no switch
     */
    public void force(Boolean on) {
        if (!switchable) throw new IllegalStateException("conv path " + this + " has no switch (see ConvPath)");
        if (this == WINOGRAD) {
            Winograd.setMode(on == null ? Winograd.Mode.AUTO : on ? Winograd.Mode.ALWAYS : Winograd.Mode.NEVER);
        } else {
            forced = on;
        }
    }

    /** The switch's setting: null while the rule decides. */
    public Boolean forced() {
        if (this != WINOGRAD) return forced;
        return switch (Winograd.mode()) {
            case AUTO -> null;
            case ALWAYS -> Boolean.TRUE;
            case NEVER -> Boolean.FALSE;
        };
    }

    /**
     * Forces {@code path} on (nothing, for {@link #GEMM}) and every other switch off until the returned
     * handle is closed, which puts every switch back as it was. Geometries {@code path} does not support
     * then run as {@link #GEMM} (or {@link #DEPTHWISE}).
     */
    public static Pin pin(ConvPath path) {
        ConvPath[] all = values();
        Boolean[] before = new Boolean[all.length];
        for (ConvPath p : all) {
            if (!p.switchable) continue;
            before[p.ordinal()] = p.forced();
            p.force(p == path);
        }
        return () -> {
            for (ConvPath p : all) if (p.switchable) p.force(before[p.ordinal()]);
        };
    }

    /** A pinned path ({@link #pin}); closing it restores every switch. */
    public interface Pin extends AutoCloseable {
        @Override
        void close();
    }

    /** Turns recording of {@link #lastTaken} on or off (and forgets the last path). */
    public static void trace(boolean on) {
        last = null;
        tracing = on;
    }

    /** The path that last started a pass while {@link #trace} was on, or null. */
    public static ConvPath lastTaken() {
        return last;
    }

    /** Called by a path as it starts a pass. */
    void took() {
        if (tracing) last = this;
    }
}
