/**
 * Reductions, deterministic for any thread count: sums, dot products, row and per-channel sums
 * ({@link dev.apoptosis.tensor.reduce.Reductions}), softmax and log-softmax
 * ({@link dev.apoptosis.tensor.reduce.SoftmaxKernels}) and softmax cross-entropy
 * ({@link dev.apoptosis.tensor.reduce.CrossEntropyKernels}).
 */
package dev.apoptosis.tensor.reduce;
