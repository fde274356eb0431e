/**
 * Normalisation kernels: {@link dev.apoptosis.tensor.norm.BatchNormKernels} and
 * {@link dev.apoptosis.tensor.norm.LayerNormKernels} (statistics, apply, project, backward; results
 * in {@link dev.apoptosis.tensor.norm.Norms}), and {@link dev.apoptosis.tensor.norm.ChannelCombination},
 * the per-channel linear combination that BatchNorm's derivative rules come down to.
 */
package dev.apoptosis.tensor.norm;
