package dev.apoptosis.tensor.conv;

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
 * positions {@code ξ = 4 i + j} of the transformed tile becomes one matrix product (see
 * {@link WinogradConv2d}).
 *
 * <p><b>Layout: planes of tiles.</b> The transforms are separable, and every operand is kept as
 * planes indexed by the tile number {@code p = ty * tilesW + tx}, so that the transforms are plain
 * element-wise arithmetic over p (vectors over consecutive tiles, without gathers):
 * <ul>
 *   <li>input: {@link #inputRow} applies {@code · B} to each input row, giving for each column
 *       combination {@code j} the planes "even rows" {@code E_j[ty'][tx]} (row {@code 2 ty'}) and "odd
 *       rows" {@code O_j} ({@code 2 ty' + 1}); rows {@code 2ty, 2ty+1, 2ty+2, 2ty+3} of tile p are then
 *       {@code E_j[p], O_j[p], E_j[p + tilesW], O_j[p + tilesW]}, and {@link #inputColumns} applies
 *       {@code Bᵀ};</li>
 *   <li>output: {@link #outputTiles} turns the 16 planes {@code M[ξ][p]} into the four output
 *       planes {@code Y_ab[p] = y[2ty + a][2tx + b]};</li>
 *   <li>gradient: {@link #gradientTiles} turns the four planes {@code gy_ab[p]} into 16 planes.</li>
 * </ul>
 * The vector twin runs whole vectors of p with the same operations in the same order (adds,
 * subtracts and negations only), so both paths give the same bits.
 */
final class WinogradTransforms {
    private WinogradTransforms() {}

    /**
     * {@code · B} on one zero-padded input row: for each tile column tx, the four values
     * {@code x = row[2tx .. 2tx+3]} become {@code [x0 - x2, x1 + x2, x2 - x1, x1 - x3]}, stored at
     * {@code r[out + j * planeStride + tx]}. Shared by both paths: its stride-2 reads do not
     * vectorise without gathers, which were measured to cost more than they save here.
     */
    static void inputRow(float[] row, int tilesW, float[] r, int out, int planeStride) {
        for (int tx = 0; tx < tilesW; tx++) {
            float x0 = row[2 * tx], x1 = row[2 * tx + 1], x2 = row[2 * tx + 2], x3 = row[2 * tx + 3];
            int o = out + tx;
            r[o] = x0 - x2;
            r[o + planeStride] = x1 + x2;
            r[o + 2 * planeStride] = x2 - x1;
            r[o + 3 * planeStride] = x1 - x3;
        }
    }

    /**
     * Output pixels {@code [z0, z1)} of a band gathered from the output planes:
     * {@code y[dst + z] = planes[base + idx[z]] + bias}, or {@code +=} that when {@code accumulate}.
     */
    static void storeOutput(float[] planes, int base, int[] idx, float bias, float[] y, int dst, boolean accumulate,
                            int z0, int z1) {
        if (accumulate) {
            for (int z = z0; z < z1; z++) y[dst + z] += planes[base + idx[z]] + bias;
        } else {
            for (int z = z0; z < z1; z++) y[dst + z] = planes[base + idx[z]] + bias;
        }
    }

    /**
     * {@code Bᵀ ·} for tiles {@code [p0, p1)}: with the even-row plane of column combination j at
     * {@code r + 2 j parityStride} and the odd-row plane {@code parityStride} after it, writes
     * {@code V[ξ][p]} to {@code v[out + ξ * xiStride + p]}.
     */
    static void inputColumns(float[] r, int in, int parityStride, int tilesW, float[] v, int out, int xiStride,
                             int p0, int p1) {
        for (int j = 0; j < 4; j++) {
            int even = in + 2 * j * parityStride, odd = even + parityStride, o = out + j * xiStride;
            for (int p = p0; p < p1; p++) {
                float e0 = r[even + p], e1 = r[odd + p], e2 = r[even + p + tilesW], e3 = r[odd + p + tilesW];
                v[o + p] = e0 - e2;
                v[o + 4 * xiStride + p] = e1 + e2;
                v[o + 8 * xiStride + p] = e2 - e1;
                v[o + 12 * xiStride + p] = e1 - e3;
            }
        }
    }

    /**
     * {@code Y = Aᵀ M A} for tiles {@code [p0, p1)}: reads {@code m[in + ξ * xiStride + p]}, writes
     * {@code Y_ab} to {@code y[out + (2a + b) * planeStride + p]}.
     */
    static void outputTiles(float[] m, int in, int xiStride, float[] y, int out, int planeStride, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int b = in + p;
            // Aᵀ M: rows s0 = M0 + M1 + M2 and s1 = M1 - M2 - M3, column by column.
            float m0 = m[b], m4 = m[b + 4 * xiStride], m8 = m[b + 8 * xiStride], m12 = m[b + 12 * xiStride];
            float s00 = m0 + m4 + m8, s10 = m4 - m8 - m12;
            float m1 = m[b + xiStride], m5 = m[b + 5 * xiStride], m9 = m[b + 9 * xiStride], m13 = m[b + 13 * xiStride];
            float s01 = m1 + m5 + m9, s11 = m5 - m9 - m13;
            float m2 = m[b + 2 * xiStride], m6 = m[b + 6 * xiStride], m10 = m[b + 10 * xiStride];
            float m14 = m[b + 14 * xiStride];
            float s02 = m2 + m6 + m10, s12 = m6 - m10 - m14;
            float m3 = m[b + 3 * xiStride], m7 = m[b + 7 * xiStride], m11 = m[b + 11 * xiStride];
            float m15 = m[b + 15 * xiStride];
            float s03 = m3 + m7 + m11, s13 = m7 - m11 - m15;
            int o = out + p;
            y[o] = s00 + s01 + s02;
            y[o + planeStride] = s01 - s02 - s03;
            y[o + 2 * planeStride] = s10 + s11 + s12;
            y[o + 3 * planeStride] = s11 - s12 - s13;
        }
    }

    /**
     * {@code Ŷ = A gy Aᵀ} for tiles {@code [p0, p1)} (the adjoint of {@link #outputTiles}): reads
     * {@code gy_ab} at {@code g[in + (2a + b) * planeStride + p]}, writes {@code v[out + ξ * xiStride + p]}.
     */
    static void gradientTiles(float[] g, int in, int planeStride, float[] v, int out, int xiStride, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int b = in + p;
            float g00 = g[b], g01 = g[b + planeStride], g10 = g[b + 2 * planeStride], g11 = g[b + 3 * planeStride];
            // A gy: rows (g0), (g0 + g1), (g0 - g1), (-g1); then each row [s, t] -> [s, s + t, s - t, -t].
            int o = out + p;
            gradientRow(v, o, xiStride, 0, g00, g01);
            gradientRow(v, o, xiStride, 4, g00 + g10, g01 + g11);
            gradientRow(v, o, xiStride, 8, g00 - g10, g01 - g11);
            gradientRow(v, o, xiStride, 12, -g10, -g11);
        }
    }

    private static void gradientRow(float[] v, int o, int xiStride, int xi, float s, float t) {
        v[o + xi * xiStride] = s;
        v[o + (xi + 1) * xiStride] = s + t;
        v[o + (xi + 2) * xiStride] = s - t;
        v[o + (xi + 3) * xiStride] = -t;
    }

    /** {@code U = G g Gᵀ} of one 3x3 filter at {@code w[wOff..wOff+9)}, written to {@code u[uOff + ξ * xiStride]}. */
    static void filter(float[] w, int wOff, float[] u, int uOff, int xiStride) {
        // G g: four rows of three, h[i][j], one filter column j at a time. In locals, not a scratch
        // array: at 256 channels the per-filter array cost 9% of a Winograd forward pass.
        float g0 = w[wOff], g1 = w[wOff + 3], g2 = w[wOff + 6];
        float h00 = g0, h10 = 0.5f * (g0 + g1 + g2), h20 = 0.5f * (g0 - g1 + g2), h30 = g2;
        g0 = w[wOff + 1];
        g1 = w[wOff + 4];
        g2 = w[wOff + 7];
        float h01 = g0, h11 = 0.5f * (g0 + g1 + g2), h21 = 0.5f * (g0 - g1 + g2), h31 = g2;
        g0 = w[wOff + 2];
        g1 = w[wOff + 5];
        g2 = w[wOff + 8];
        float h02 = g0, h12 = 0.5f * (g0 + g1 + g2), h22 = 0.5f * (g0 - g1 + g2), h32 = g2;
        filterRow(u, uOff, xiStride, h00, h01, h02);
        filterRow(u, uOff + 4 * xiStride, xiStride, h10, h11, h12);
        filterRow(u, uOff + 8 * xiStride, xiStride, h20, h21, h22);
        filterRow(u, uOff + 12 * xiStride, xiStride, h30, h31, h32);
    }

    /** {@code · Gᵀ} of one row {@code [a, b, c]} of {@code G g}: four values, {@code xiStride} apart. */
    private static void filterRow(float[] u, int at, int xiStride, float a, float b, float c) {
        u[at] = a;
        u[at + xiStride] = 0.5f * (a + b + c);
        u[at + 2 * xiStride] = 0.5f * (a - b + c);
        u[at + 3 * xiStride] = c;
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
