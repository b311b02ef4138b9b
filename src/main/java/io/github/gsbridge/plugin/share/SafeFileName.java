package io.github.gsbridge.plugin.share;

import java.nio.charset.StandardCharsets;

/**
 * Turns a file name chosen by a remote device into one that is safe to create in a download
 * folder: a single path element, no control characters, no bidi tricks that make {@code exe}
 * look like {@code png}, not hidden, at most {@value #MAX_BYTES} bytes of UTF-8 (Linux's NAME_MAX).
 */
public final class SafeFileName {
    public static final int MAX_BYTES = 255;
    /** What a name that is nothing at all (empty, {@code .}, {@code ..}) becomes. */
    public static final String FALLBACK = "unnamed-file";
    /** Longer "extensions" are more likely part of the name than a type, and would eat the stem. */
    private static final int MAX_EXTENSION_BYTES = 32;
    private static final char REPLACEMENT = '_';

    private SafeFileName() {}

    /** A safe name for {@code untrusted}; never empty, never starting with a dot. */
    public static String of(String untrusted) {
        if (untrusted == null) {
            return FALLBACK;
        }
        String base = baseName(untrusted);
        StringBuilder safe = new StringBuilder(base.length());
        base.codePoints().forEach(c -> {
            if (isDirectionControl(c)) {
                return;
            }
            // JSON escapes can carry a lone surrogate, which has no UTF-8 form.
            if (Character.isISOControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                safe.append(REPLACEMENT);
            } else {
                safe.appendCodePoint(c);
            }
        });
        String name = safe.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return FALLBACK;
        }
        // A download folder may be $HOME, where a received .bash_login would run at the next
        // login; browsers replace the leading dot the same way.
        if (name.charAt(0) == '.') {
            name = REPLACEMENT + name.substring(1);
        }
        return fit(name, "");
    }

    /** {@code safeName} with {@code " (n)"} before its extension, still within {@value #MAX_BYTES} bytes. */
    public static String numbered(String safeName, int n) {
        return fit(safeName, " (" + n + ")");
    }

    /**
     * Where to cut: the text after the last {@code /} or {@code \}. Windows senders use
     * backslashes, and a backslash in a Linux name only invites confusion.
     */
    private static String baseName(String name) {
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return name.substring(cut + 1);
    }

    /** U+202A-U+202E and U+2066-U+2069 (embeddings, overrides, isolates), and the implicit marks. */
    private static boolean isDirectionControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E || c == 0x200F || c == 0x061C;
    }

    /** Inserts {@code suffix} before the extension and shortens the stem until the whole fits. */
    private static String fit(String name, String suffix) {
        int dot = name.lastIndexOf('.');
        boolean hasExtension = dot > 0 && utf8Length(name.substring(dot)) <= MAX_EXTENSION_BYTES;
        String stem = hasExtension ? name.substring(0, dot) : name;
        String extension = hasExtension ? name.substring(dot) : "";
        int budget = MAX_BYTES - utf8Length(suffix) - utf8Length(extension);
        return truncate(stem, budget) + suffix + extension;
    }

    /** The longest prefix of whole code points whose UTF-8 form has at most {@code maxBytes} bytes. */
    static String truncate(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int c = text.codePointAt(end);
            int size = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(c);
        }
        return text.substring(0, end);
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
