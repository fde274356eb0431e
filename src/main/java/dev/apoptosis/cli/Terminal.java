package dev.apoptosis.cli;

import java.util.Locale;

/**
 * Text from files (model names, metadata, class names, data specs) made safe to print on a terminal.
 *
 * <p>A checkpoint is a file from anyone: its metadata may hold escape sequences that clear the
 * screen, rewrite earlier lines, set the window title or, on some terminals, worse. So control
 * characters (C0, DEL, C1, ESC included) and invisible format characters (bidirectional overrides
 * that make text read differently from what it is) are shown as visible escapes: {@code \e},
 * {@code \n}, {@code \r} or {@code \\u009b}; a tab is left as it is. Everything else, accents and other scripts
 * included, is printed as it is. JSON output has its own escaping ({@link Json}).
 */
final class Terminal {
    private Terminal() {}

    /** {@code s} with control and format characters shown as escapes; null as "null". */
    static String safe(String s) {
        if (s == null) return "null";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = escape(c);
            if (esc == null) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            b.append(esc);
        }
        return b == null ? s : b.toString();
    }

    private static String escape(char c) {
        switch (c) {
            case '\n': return "\\n";
            case '\t': return null; // moves the cursor right, nothing more
            case '\r': return "\\r";
            case 0x1b: return "\\e";
            default: break;
        }
        if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
            return String.format(Locale.ROOT, "\\u%04x", (int) c);
        }
        return null;
    }
}
