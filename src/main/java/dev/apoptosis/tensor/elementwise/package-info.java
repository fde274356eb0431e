/**
 * Elementwise kernels: arithmetic on windows and tensors
 * ({@link dev.apoptosis.tensor.elementwise.Elementwise}), the activations
 * ({@link dev.apoptosis.tensor.elementwise.Relu}, and GELU, SiLU and tanh over
 * {@link dev.apoptosis.tensor.elementwise.ActivationKernels}) and the reproducible float math they
 * share ({@link dev.apoptosis.tensor.elementwise.FloatMath}).
 */
package dev.apoptosis.tensor.elementwise;
