package dev.apoptosis.tensor;

/**
 * The tile transforms of Winograd's F(2x2, 3x3) convolution in plain loops (the scalar twin of
 * {@link WinogradTransformsVector}).
 *
 * <p>A 2x2 block of outputs {@code Y} of a 3x3 filter {@code g} over a 4x4 input tile {@code d} is
 * {@code Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A} with
 * <pre>
 *   Bᵀ = | 1  0 -1  0 |     G = | 1    0    0  |     Aᵀ = | 1  1  1  0 |
 *        | 0  1  1  0 |         | 1/2  1/2  1/2 |          | 0  1 -1 -1 |
 *        | 0 -1  1  0 |         | 1/2 -1/2  1/2 |
 *        | 0  1  0 -1 |         | 0    0    1  |
 * </pre>
 * The 16 products per tile replace 36 multiply-adds; summed over input channels each of the 16
 * positions {@code ξ} of the transformed tile becomes one matrix product (see {@link WinogradConv2d}).
 *
 * <p><b>Layout.</b> Every tile operand is a block of {@code lanes} independent tiles (one per image of
 * a group) stored lane-innermost: element {@code (i, j)} of lane {@code l} is at
 * {@code base + i * rowStride + j * colStride + l}, and the 16 transformed values of lane {@code l}
 * at {@code out + ξ * xiStride + l}. The vector twin runs whole vectors of lanes with the same
 * operations in the same order (adds, subtracts and exact halvings only), so both paths give the
 * same bits.
 */
final class WinogradTransforms {
    private WinogradTransforms() {}

    /** {@code V = Bᵀ d B} for lanes {@code [l0, l1)} of one tile; see the class comment for the layout. */
    static void inputTile(float[] d, int base, int rowStride, int colStride, float[] v, int out, int xiStride,
                          int l0, int l1) {
        for (int l = l0; l < l1; l++) {
            int o = out + l;
            // Bᵀ d row by row of the result (each a combination of input rows), then · B within the row.
            for (int i = 0; i < 4; i++) {
                float e0 = bt(d, base + l, rowStride, i), e1 = bt(d, base + l + colStride, rowStride, i);
                float e2 = bt(d, base + l + 2 * colStride, rowStride, i), e3 = bt(d, base + l + 3 * colStride, rowStride, i);
                v[o + (4 * i) * xiStride] = e0 - e2;
                v[o + (4 * i + 1) * xiStride] = e1 + e2;
                v[o + (4 * i + 2) * xiStride] = e2 - e1;
                v[o + (4 * i + 3) * xiStride] = e1 - e3;
            }
        }
    }

    /** Row {@code i} of {@code Bᵀ c} for the column {@code c} of four values {@code rowStride} apart from {@code at}. */
    private static float bt(float[] d, int at, int rowStride, int i) {
        return switch (i) {
            case 0 -> d[at] - d[at + 2 * rowStride];
            case 1 -> d[at + rowStride] + d[at + 2 * rowStride];
            case 2 -> d[at + 2 * rowStride] - d[at + rowStride];
            default -> d[at + rowStride] - d[at + 3 * rowStride];
        };
    }

    /** {@link #inputTile} for {@code tiles} tiles side by side (input columns 2 apart, outputs {@code lanes} apart). */
    static void inputRow(float[] d, int base, int rowStride, int tiles, float[] v, int out, int xiStride, int lanes) {
        for (int t = 0; t < tiles; t++) {
            inputTile(d, base + 2 * t * lanes, rowStride, lanes, v, out + t * lanes, xiStride, 0, lanes);
        }
    }

    /**
     * {@code Y = Aᵀ M A} for lanes {@code [l0, l1)} of one tile: reads the 16 values at
     * {@code m + ξ * xiStride + l}, writes the 2x2 result at {@code y + a * rowStride + b * colStride + l}.
     */
    static void outputTile(float[] m, int in, int xiStride, float[] y, int out, int rowStride, int colStride,
                           int l0, int l1) {
        for (int l = l0; l < l1; l++) {
            int b = in + l;
            // Aᵀ M: rows s0 = M0 + M1 + M2 and s1 = M1 - M2 - M3, column by column.
            float s00, s01, s02, s03, s10, s11, s12, s13;
            {
                float m0 = m[b], m4 = m[b + 4 * xiStride], m8 = m[b + 8 * xiStride], m12 = m[b + 12 * xiStride];
                s00 = m0 + m4 + m8;
                s10 = m4 - m8 - m12;
            }
            {
                float m1 = m[b + xiStride], m5 = m[b + 5 * xiStride], m9 = m[b + 9 * xiStride], m13 = m[b + 13 * xiStride];
                s01 = m1 + m5 + m9;
                s11 = m5 - m9 - m13;
            }
            {
                float m2 = m[b + 2 * xiStride], m6 = m[b + 6 * xiStride], m10 = m[b + 10 * xiStride];
                float m14 = m[b + 14 * xiStride];
                s02 = m2 + m6 + m10;
                s12 = m6 - m10 - m14;
            }
            {
                float m3 = m[b + 3 * xiStride], m7 = m[b + 7 * xiStride], m11 = m[b + 11 * xiStride];
                float m15 = m[b + 15 * xiStride];
                s03 = m3 + m7 + m11;
                s13 = m7 - m11 - m15;
            }
            int o = out + l;
            y[o] = s00 + s01 + s02;
            y[o + colStride] = s01 - s02 - s03;
            y[o + rowStride] = s10 + s11 + s12;
            y[o + rowStride + colStride] = s11 - s12 - s13;
        }
    }

    /** {@link #outputTile} for {@code tiles} tiles side by side (inputs {@code lanes} apart, output columns 2 apart). */
    static void outputRow(float[] m, int in, int xiStride, int tiles, float[] y, int out, int rowStride, int lanes) {
        for (int t = 0; t < tiles; t++) {
            outputTile(m, in + t * lanes, xiStride, y, out + 2 * t * lanes, rowStride, lanes, 0, lanes);
        }
    }

    /**
     * {@code Ŷ = A gy Aᵀ} for lanes {@code [l0, l1)} of one 2x2 output-gradient tile (the adjoint of
     * {@link #outputTile}): reads {@code gy + a * rowStride + b * colStride + l}, writes the 16 values
     * at {@code out + ξ * xiStride + l}.
     */
    static void gradientTile(float[] gy, int in, int rowStride, int colStride, float[] v, int out, int xiStride,
                             int l0, int l1) {
        for (int l = l0; l < l1; l++) {
            int b = in + l;
            float g00 = gy[b], g01 = gy[b + colStride], g10 = gy[b + rowStride], g11 = gy[b + rowStride + colStride];
            // A gy: rows (g0), (g0 + g1), (g0 - g1), (-g1); then each row [p, q] -> [p, p + q, p - q, -q].
            float p0 = g00, q0 = g01;
            float p1 = g00 + g10, q1 = g01 + g11;
            float p2 = g00 - g10, q2 = g01 - g11;
            float p3 = -g10, q3 = -g11;
            int o = out + l;
            gradientRow(v, o, xiStride, 0, p0, q0);
            gradientRow(v, o, xiStride, 4, p1, q1);
            gradientRow(v, o, xiStride, 8, p2, q2);
            gradientRow(v, o, xiStride, 12, p3, q3);
        }
    }

    private static void gradientRow(float[] v, int o, int xiStride, int xi, float p, float q) {
        v[o + xi * xiStride] = p;
        v[o + (xi + 1) * xiStride] = p + q;
        v[o + (xi + 2) * xiStride] = p - q;
        v[o + (xi + 3) * xiStride] = -q;
    }

    /** {@link #gradientTile} for {@code tiles} tiles side by side (input columns 2 apart, outputs {@code lanes} apart). */
    static void gradientRow(float[] gy, int in, int rowStride, int tiles, float[] v, int out, int xiStride, int lanes) {
        for (int t = 0; t < tiles; t++) {
            gradientTile(gy, in + 2 * t * lanes, rowStride, lanes, v, out + t * lanes, xiStride, 0, lanes);
        }
    }

    /** {@code U = G g Gᵀ} of one 3x3 filter at {@code w[wOff..wOff+9)}, written to {@code u[uOff + ξ * xiStride]}. */
    static void filter(float[] w, int wOff, float[] u, int uOff, int xiStride) {
        float[] h = new float[12];
        // G g: four rows of three.
        for (int j = 0; j < 3; j++) {
            float g0 = w[wOff + j], g1 = w[wOff + 3 + j], g2 = w[wOff + 6 + j];
            h[j] = g0;
            h[3 + j] = 0.5f * (g0 + g1 + g2);
            h[6 + j] = 0.5f * (g0 - g1 + g2);
            h[9 + j] = g2;
        }
        for (int i = 0; i < 4; i++) {
            float a = h[3 * i], b = h[3 * i + 1], c = h[3 * i + 2];
            u[uOff + (4 * i) * xiStride] = a;
            u[uOff + (4 * i + 1) * xiStride] = 0.5f * (a + b + c);
            u[uOff + (4 * i + 2) * xiStride] = 0.5f * (a - b + c);
            u[uOff + (4 * i + 3) * xiStride] = c;
        }
    }

    /**
     * {@code dg = Gᵀ dU G}: the 3x3 filter gradient from the 16 values {@code du[duOff + ξ * xiStride]}
     * (the adjoint of {@link #filter}), stored to or added to {@code gw[gwOff..gwOff+9)}.
     */
    static void filterGradient(float[] du, int duOff, int xiStride, float[] gw, int gwOff, boolean accumulate) {
        float[] e = new float[12];
        // Gᵀ dU: three rows of four.
        for (int j = 0; j < 4; j++) {
            float d0 = du[duOff + j * xiStride], d1 = du[duOff + (4 + j) * xiStride];
            float d2 = du[duOff + (8 + j) * xiStride], d3 = du[duOff + (12 + j) * xiStride];
            float half = 0.5f * (d1 + d2);
            e[j] = d0 + half;
            e[4 + j] = 0.5f * (d1 - d2);
            e[8 + j] = half + d3;
        }
        for (int i = 0; i < 3; i++) {
            float a = e[4 * i], b = e[4 * i + 1], c = e[4 * i + 2], d = e[4 * i + 3];
            float half = 0.5f * (b + c);
            float[] row = {a + half, 0.5f * (b - c), half + d};
            for (int j = 0; j < 3; j++) {
                int k = gwOff + 3 * i + j;
                gw[k] = accumulate ? gw[k] + row[j] : row[j];
            }
        }
    }
}
