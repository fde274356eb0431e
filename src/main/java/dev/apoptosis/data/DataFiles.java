package dev.apoptosis.data;

import dev.apoptosis.io.BoundedInput;
import dev.apoptosis.io.InputFiles;
import dev.apoptosis.io.Refusal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File helpers shared by the loaders, on top of the toolkit's shared reading rules
 * ({@link dev.apoptosis.io}): only regular files are opened, gzip is detected by content (magic
 * bytes 1f 8b), not by name, every size a header declares is checked against what the file can hold
 * before it is allocated, and reads report truncation instead of returning short, all as a
 * {@link DatasetException} naming the file.
 */
final class DataFiles {
    /** Text files (class-name lists) longer than this are not what they claim to be. */
    private static final long MAX_TEXT = 1 << 24;

    private DataFiles() {}

    /** How a check about {@code file} becomes a {@link DatasetException} naming it. */
    static Refusal<DatasetException> refusal(Path file) {
        return problem -> new DatasetException(file, problem);
    }

    /** Opens {@code file} (a regular file), transparently gunzipping it when it starts with the gzip magic bytes. */
    static BoundedInput<DatasetException> open(Path file) throws DatasetException {
        return BoundedInput.open(file, refusal(file));
    }

    /** The size of {@code file}, refused unless it is a regular file (FIFOs and devices would hang or never end). */
    static long requireRegular(Path file) throws DatasetException {
        return InputFiles.requireRegular(file, refusal(file));
    }

    /**
     * The lines of a UTF-8 text file, refused with the file's name (and the byte offset) if it is not
     * UTF-8, not a regular file or implausibly long.
     */
    static List<String> readUtf8Lines(Path file) throws DatasetException {
        long size = requireRegular(file);
        if (size > MAX_TEXT) throw new DatasetException(file, size + " bytes is too long for a text file of names");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read: " + e, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetException(file, "not UTF-8 text (" + e.getMessage() + " near byte " + firstBadUtf8(bytes) + ")", e);
        }
        return new ArrayList<>(text.lines().toList());
    }

    /** Offset of the first byte that does not decode as UTF-8, for messages. */
    private static int firstBadUtf8(byte[] b) {
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        var out = java.nio.CharBuffer.allocate(b.length + 1);
        dec.decode(in, out, true);
        return in.position();
    }

    /** The first of {@code candidates} (file names in {@code dir}) that exists, or an error listing them all. */
    static Path firstExisting(Path dir, String what, List<String> candidates) throws DatasetException {
        for (String c : candidates) {
            Path p = dir.resolve(c);
            if (Files.exists(p)) return p; // not only regular files: a FIFO in the way is refused when opened, by name
        }
        throw new DatasetException(dir, "no " + what + " file; looked for " + String.join(", ", candidates));
    }

    /** Throws unless {@code dir} is an existing directory. */
    static void requireDirectory(Path dir, String what) throws DatasetException {
        if (!Files.isDirectory(dir)) throw new DatasetException(dir, what + " directory not found");
    }
}
