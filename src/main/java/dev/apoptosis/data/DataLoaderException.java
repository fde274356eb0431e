package dev.apoptosis.data;

/** The background worker of a {@link DataLoader} failed; the cause is the worker's exception. */
public class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
