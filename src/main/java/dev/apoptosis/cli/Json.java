package dev.apoptosis.cli;

import java.util.Locale;

/** The two JSON value forms the commands print by hand: strings and numbers. */
final class Json {
    private Json() {}

    /** {@code s} as a JSON string literal, with quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    // C0, DEL and C1 (0x9b is a one-byte escape on some terminals) and bidi overrides, escaped
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.getType(c) == Character.FORMAT) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** {@code x} as a JSON number; NaN and infinities, which JSON cannot express, as null. */
    static String number(double x) {
        return Double.isFinite(x) ? Double.toString(x) : "null";
    }
}
