package io.github.gsbridge.logging;

/**
 * Makes text safe to put in a log line. Much of what gsbridge logs comes from peers, before any
 * authentication (device ids, target ids, names, error texts that quote them); a line break in
 * it would forge a log line, an ESC would drive the terminal that shows the log.
 */
public final class LogText {
    private LogText() {}

    /**
     * {@code text} with every control character (C0, DEL, C1), format character (bidi controls,
     * zero-width characters), line or paragraph separator and lone surrogate written as an escape:
     * {@code \n}, {@code \r}, {@code \t}, else a backslash, {@code u} and four hex digits per UTF-16
     * unit. Everything else, backslashes included, stays as it is: what matters is that no peer
     * can end a line or send a terminal a command, not that the escapes can be undone.
     */
    public static String escape(String text) {
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (!isUnsafe(c)) {
                out.appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                for (int unit = i; unit < next; unit++) {
                    out.append(String.format("\\u%04x", (int) text.charAt(unit)));
                }
            }
            i = next;
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (isUnsafe(c)) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    /** Whether code point {@code c} must be escaped; codePointAt yields a lone surrogate as itself. */
    private static boolean isUnsafe(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }
}
