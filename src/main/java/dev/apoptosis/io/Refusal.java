package dev.apoptosis.io;

/**
 * How a reader turns a problem found by the shared checks into its own exception: a
 * {@code CheckpointException} or {@code DatasetException} that names the file, so a user sees one
 * kind of error per format whichever check fired.
 *
 * @param <E> the reader's exception type
 */
@FunctionalInterface
public interface Refusal<E extends Exception> {
    /** The exception reporting {@code problem} (a phrase without the file name, which the exception adds). */
    E because(String problem);
}
