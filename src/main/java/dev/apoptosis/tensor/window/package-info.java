/**
 * The geometry of the 2-D sliding-window ops: {@link dev.apoptosis.tensor.window.ConvGeometry} for a
 * convolution and {@link dev.apoptosis.tensor.window.PoolGeometry} for a pooling, validated records
 * whose builders share their setters, output-size formula and checks.
 */
package dev.apoptosis.tensor.window;
