/**
 * The file-handling rules every reader and writer of the toolkit shares, so that a new format
 * (the ONNX reader, a pruning mask file) inherits them instead of re-deriving them:
 * <ul>
 * <li>{@link dev.apoptosis.io.InputFiles}: only regular files are read (a FIFO would block forever,
 *     a device could stream without end);</li>
 * <li>{@link dev.apoptosis.io.DeclaredSize} and {@link dev.apoptosis.io.BoundedInput}: a size read
 *     from a file is checked against the bytes the file can still deliver, against overflow and
 *     against the free heap before anything is allocated for it;</li>
 * <li>{@link dev.apoptosis.io.OutputTarget}: a file is only written over a regular file or where
 *     nothing exists, never through a symbolic link, and the check runs before any work starts.</li>
 * </ul>
 * Every check reports through the caller's own exception type (a {@link dev.apoptosis.io.Refusal}),
 * so a checkpoint problem stays a {@code CheckpointException} and a dataset problem a
 * {@code DatasetException}, each naming the file.
 */
package dev.apoptosis.io;
