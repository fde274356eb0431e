/**
 * Single-precision matrix multiply. Entry: {@link dev.apoptosis.tensor.gemm.Gemm} ({@code sgemm},
 * {@code matmul}), which runs a cache-blocked Vector API path, a dot-product path for NT products
 * with few rows, or plain loops; the convolutions drive its micro-kernel directly as well.
 */
package dev.apoptosis.tensor.gemm;
