package dev.apoptosis.train;

/**
 * Training produced a NaN or infinite loss or gradient. The model was not updated with it; the last
 * checkpoint written (if any) is the last good state and is named in the message.
 */
public final class NonFiniteException extends IllegalStateException {
    public NonFiniteException(String message) {
        super(message);
    }
}
