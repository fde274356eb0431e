/**
 * Tensors and what every kernel family shares: {@link dev.apoptosis.tensor.Tensor} (a shape over a
 * float array), {@link dev.apoptosis.tensor.Parallel} (the one thread pool and its determinism
 * contract), {@link dev.apoptosis.tensor.Simd} (Vector API or scalar path) and the argument checks
 * of {@link dev.apoptosis.tensor.Shapes} and {@link dev.apoptosis.tensor.Kernels}. The kernels sit in
 * one sub-package per family: {@code gemm}, {@code conv}, {@code pool}, {@code window} (their
 * geometry), {@code elementwise}, {@code reduce} and {@code norm}.
 */
package dev.apoptosis.tensor;
