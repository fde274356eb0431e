package dev.apoptosis.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Locale;

/**
 * The commands' JSON output, written by Jackson from maps and records. Strings from files
 * (metadata, names) may hold terminal escape sequences, so on top of JSON's own escapes DEL, the C1
 * controls (0x9b is a one-byte escape on some terminals) and invisible format characters
 * (bidirectional overrides) are written as {@code \\uXXXX} too, as {@link Terminal} does for text
 * output; the JSON means the same, only no raw control reaches the terminal.
 */
final class Json {
    // Lower-case hex in \\u escapes, as the commands wrote before Jackson (and as the tests read).
    private static final ObjectMapper MAPPER = JsonMapper.builder().disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).build();

    static {
        MAPPER.getFactory().setCharacterEscapes(new TerminalSafe());
    }

    private Json() {}

    /** {@code value} (maps, lists, records, numbers, strings) as one line of JSON. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code x}, or null for NaN and infinities, which JSON cannot express. */
    static Double number(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static final class TerminalSafe extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        TerminalSafe() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if ((ch >= 0x80 && ch <= 0x9f) || Character.getType(ch) == Character.FORMAT) {
                return new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch));
            }
            return null;
        }
    }
}
