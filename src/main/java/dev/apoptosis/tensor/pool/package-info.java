/**
 * 2-D max, average and global average pooling with their gradients:
 * {@link dev.apoptosis.tensor.pool.Pool2dKernels}.
 */
package dev.apoptosis.tensor.pool;
