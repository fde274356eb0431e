/**
 * 2-D convolution, forward and gradients. Entry: {@link dev.apoptosis.tensor.conv.Conv2dKernels},
 * which runs each call as im2col + GEMM, an implicit GEMM (over a batch-innermost copy for small
 * outputs, over padded planes for "same" 3x3 layers, over phase planes for stride-2 ones, whose input gradients run per phase of the input), Winograd F(2x2, 3x3) (switched by
 * {@link dev.apoptosis.tensor.conv.Winograd}) or a direct depthwise kernel.
 */
package dev.apoptosis.tensor.conv;
