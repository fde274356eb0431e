package dev.apoptosis.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file is missing, malformed or inconsistent. Every loader in this package reports
 * problems with this one type; the message always starts with the file concerned.
 */
public class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "{@code file}: {@code problem}". */
    public DatasetException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public DatasetException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
