/**
 * Mutation fuzzing of every binary reader: seeded mutations of valid files (truncations, bit flips,
 * size fields set to extremes, spliced and deleted ranges), each read with bounded time and a
 * measured allocation. The property checked for each file: it is read, or refused with the reader's
 * own exception naming the file; never another exception type, a hang, an {@code OutOfMemoryError}
 * or more memory than the file justifies.
 *
 * <p>{@link dev.apoptosis.fuzz.FuzzTargets#all()} lists the readers; a new reader (the ONNX one)
 * joins by adding its {@link dev.apoptosis.fuzz.FuzzTarget} there, one line. The CLI runs it as
 * {@code apoptosis fuzz}; a short run is part of the test suite ({@code FuzzSuiteTest}).
 */
package dev.apoptosis.fuzz;
