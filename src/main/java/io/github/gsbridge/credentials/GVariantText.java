package io.github.gsbridge.credentials;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes the GVariant text format that {@code dconf dump}, {@code dconf read} and
 * {@code dconf write} use.
 *
 * <p>{@link #parse} maps values to Java as: boolean → {@link Boolean}; every integer type →
 * {@link Long} (uint64 above {@link Long#MAX_VALUE} keeps its bits, as {@link Long#parseUnsignedLong}
 * does); double → {@link Double}; string, object path, signature → {@link String}; arrays, tuples and
 * bytestrings ({@code b'..'}, including their terminating NUL byte) → unmodifiable {@link List};
 * dictionaries → unmodifiable insertion-ordered {@link Map} with keys turned into strings; a lone
 * dict entry ({@code {k, v}}) → a two-element {@link List}; maybe values → {@link Optional}
 * ({@code nothing} is empty; {@code just x}, or a plain {@code x} where a maybe type is given, holds
 * x); variants ({@code <..>}) → their content.
 *
 * <p>Deliberate differences from GLib's parser: the {@code [{k, v}]} array-of-entries syntax is
 * rejected (GLib prints such arrays as dictionaries); elements of an untyped array or dictionary are
 * not unified to a common type, except that a type annotation on the first element holds for the
 * rest, the one case GLib's printer relies on ({@code [@mi 1, nothing]}); and an escape GLib does
 * not define (such as {@code \q}, {@code \x41} or {@code \101} in a string) is an error, because
 * GLib silently drops the backslash and dconf itself never prints one.
 */
public final class GVariantText {
    private static final String BASIC_TYPES = "bynqiuxthdsog";
    private static final Pattern OBJECT_PATH = Pattern.compile("/|(/[A-Za-z0-9_]+)+");
    /**
     * GLib's G_VARIANT_MAX_RECURSION_DEPTH, for types and values alike: dconf never holds anything
     * deeper, and the parser recurses, so a hostile value must not reach the end of the stack.
     */
    static final int MAX_DEPTH = 128;

    private GVariantText() {}

    /** Parses one complete value; anything but whitespace after it is an error. */
    public static Object parse(String text) {
        Parser parser = new Parser(text);
        Object value = parser.value(null);
        parser.skipWhitespace();
        if (!parser.atEnd()) {
            throw parser.expected("end of input");
        }
        return value;
    }

    /**
     * Quotes a string the way GLib prints it: single quotes unless the string contains one, escaping
     * the chosen quote, backslashes and characters that are not printable.
     *
     * @throws IllegalArgumentException for NUL or an unpaired surrogate, which a GVariant string
     *     (UTF-8 without NUL) cannot hold
     */
    public static String formatString(String value) {
        char quote = value.indexOf('\'') >= 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(value.length() + 2).append(quote);
        value.codePoints().forEach(cp -> {
            if (cp == 0) {
                throw new IllegalArgumentException("GVariant strings cannot contain NUL");
            }
            if (Character.getType(cp) == Character.SURROGATE) {
                throw new IllegalArgumentException(
                        String.format("unpaired surrogate U+%04X cannot be written as UTF-8", cp));
            }
            switch (cp) {
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (cp == quote || cp == '\\') {
                        out.append('\\').appendCodePoint(cp);
                    } else if (needsEscape(cp)) {
                        out.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append(quote).toString();
    }

    /** An {@code as} value; the empty array needs its type spelled out or GLib cannot infer it. */
    public static String formatStringArray(List<String> values) {
        if (values.isEmpty()) {
            return "@as []";
        }
        List<String> quoted = new ArrayList<>(values.size());
        for (String value : values) {
            quoted.add(formatString(value));
        }
        return "[" + String.join(", ", quoted) + "]";
    }

    public static String formatBoolean(boolean value) {
        return value ? "true" : "false";
    }

    // Line and paragraph separators are printable for GLib, but escaping them keeps every value on
    // one line for line-based readers of dconf's keyfile format.
    private static boolean needsEscape(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** Index just past the complete definite type starting at {@code start}, or -1 if there is none. */
    private static int typeEnd(String text, int start) {
        return typeEnd(text, start, 0);
    }

    private static int typeEnd(String text, int start, int depth) {
        if (start >= text.length() || depth > MAX_DEPTH) {
            return -1;
        }
        char c = text.charAt(start);
        if (BASIC_TYPES.indexOf(c) >= 0 || c == 'v') {
            return start + 1;
        }
        return switch (c) {
            case 'a', 'm' -> typeEnd(text, start + 1, depth + 1);
            case '(' -> {
                int i = start + 1;
                while (i >= 0 && i < text.length() && text.charAt(i) != ')') {
                    i = typeEnd(text, i, depth + 1);
                }
                yield i >= 0 && i < text.length() ? i + 1 : -1;
            }
            case '{' -> {
                if (start + 1 >= text.length() || BASIC_TYPES.indexOf(text.charAt(start + 1)) < 0) {
                    yield -1;
                }
                int i = typeEnd(text, start + 2, depth + 1);
                yield i >= 0 && i < text.length() && text.charAt(i) == '}' ? i + 1 : -1;
            }
            default -> -1;
        };
    }

    private static boolean isSignature(String text) {
        int i = 0;
        while (i < text.length()) {
            i = typeEnd(text, i);
            if (i < 0) {
                return false;
            }
        }
        return true;
    }

    private static List<String> tupleMembers(String tupleType) {
        List<String> members = new ArrayList<>();
        int i = 1;
        while (tupleType.charAt(i) != ')') {
            int end = typeEnd(tupleType, i);
            members.add(tupleType.substring(i, end));
            i = end;
        }
        return members;
    }

    private static String typeKeyword(String word) {
        return switch (word) {
            case "boolean" -> "b";
            case "byte" -> "y";
            case "int16" -> "n";
            case "uint16" -> "q";
            case "int32" -> "i";
            case "uint32" -> "u";
            case "int64" -> "x";
            case "uint64" -> "t";
            case "handle" -> "h";
            case "double" -> "d";
            case "string" -> "s";
            case "objectpath" -> "o";
            case "signature" -> "g";
            default -> null;
        };
    }

    private static final class Parser {
        private final String text;
        private int pos;
        private int depth;
        /**
         * The type of the value parsed last. GLib's printer annotates only the first element of an
         * array or dictionary (e.g. {@code [@mi 1, nothing]}); the others take the type it had.
         */
        private String lastType;

        Parser(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        void skipWhitespace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        GVariantParseException expected(String what) {
            String found = atEnd() ? "end of input" : "'" + text.charAt(pos) + "'";
            return new GVariantParseException(pos, "expected " + what + " but found " + found);
        }

        GVariantParseException error(int at, String problem) {
            return new GVariantParseException(at, problem);
        }

        /** {@code type} is the definite type the value must have, or null when it is free. */
        Object value(String type) {
            skipWhitespace();
            if (atEnd()) {
                throw expected("a value");
            }
            if (depth == MAX_DEPTH) {
                throw error(pos, "values nested more than " + MAX_DEPTH + " deep");
            }
            depth++;
            try {
                Object value = valueByLeadingChar(type);
                if (type != null) {
                    lastType = type;
                }
                return value;
            } finally {
                depth--;
            }
        }

        private Object valueByLeadingChar(String type) {
            char c = text.charAt(pos);
            if (c == '@') {
                return annotated(type);
            }
            if (type != null && type.startsWith("m")) {
                return maybe(type);
            }
            if (c == '\'' || c == '"') {
                return string(type);
            }
            if (c == 'b' && pos + 1 < text.length() && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '"')) {
                return bytestring(type);
            }
            return switch (c) {
                case '[' -> array(type);
                case '{' -> dictionary(type);
                case '(' -> tuple(type);
                case '<' -> variant(type);
                default -> {
                    if (Character.isDigit(c) || c == '-' || c == '+' || c == '.') {
                        yield number(type);
                    }
                    if (Character.isLetter(c)) {
                        yield keyword(type);
                    }
                    throw expected("a value");
                }
            };
        }

        /** {@code value}, recording {@code type} as its type for {@link #lastType}. */
        private <T> T typed(T value, String type) {
            lastType = type;
            return value;
        }

        private String combine(String required, String declared, int at) {
            if (required != null && !required.equals(declared)) {
                throw error(at, "type '" + declared + "' given where type '" + required + "' is required");
            }
            return declared;
        }

        private void requireType(String type, int at, String what, String allowed) {
            if (type != null && (type.length() != 1 || allowed.indexOf(type.charAt(0)) < 0)) {
                throw error(at, what + " cannot be a value of type '" + type + "'");
            }
        }

        private Object annotated(String type) {
            int at = pos++;
            int end = typeEnd(text, pos);
            if (end < 0) {
                throw error(at, "expected a definite GVariant type after '@'");
            }
            String declared = text.substring(pos, end);
            pos = end;
            return value(combine(type, declared, at));
        }

        private Object keyword(String type) {
            int at = pos;
            while (!atEnd() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String word = text.substring(at, pos);
            switch (word) {
                case "true", "false" -> {
                    requireType(type, at, "a boolean", "b");
                    return typed(Boolean.valueOf(word), "b");
                }
                case "inf", "nan" -> {
                    requireType(type, at, "a floating-point number", "d");
                    return typed(word.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN, "d");
                }
                case "just" -> {
                    if (type != null) {
                        throw error(at, "a maybe value cannot be a value of type '" + type + "'");
                    }
                    Object inner = value(null);
                    return typed(Optional.of(inner), "m" + lastType);
                }
                case "nothing" -> throw error(at, type != null
                        ? "a maybe value cannot be a value of type '" + type + "'"
                        : "the type of 'nothing' cannot be inferred; annotate it, e.g. '@ms nothing'");
                default -> {
                    String declared = typeKeyword(word);
                    if (declared == null) {
                        throw error(at, "unknown keyword '" + word + "'");
                    }
                    return value(combine(type, declared, at));
                }
            }
        }

        /** A value of maybe type {@code type}: {@code nothing}, {@code just x} or just {@code x}. */
        private Optional<Object> maybe(String type) {
            String inner = type.substring(1);
            if (wordAhead("nothing")) {
                pos += "nothing".length();
                return Optional.empty();
            }
            if (wordAhead("just")) {
                pos += "just".length();
            }
            return Optional.of(value(inner));
        }

        private boolean wordAhead(String word) {
            int end = pos + word.length();
            return text.startsWith(word, pos)
                    && (end == text.length() || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'));
        }

        private Object number(String type) {
            int at = pos;
            while (!atEnd() && (Character.isLetterOrDigit(text.charAt(pos)) || "+-.".indexOf(text.charAt(pos)) >= 0)) {
                pos++;
            }
            String token = text.substring(at, pos);
            boolean negative = token.startsWith("-");
            String body = token.startsWith("-") || token.startsWith("+") ? token.substring(1) : token;
            if (body.equals("inf") || body.equals("nan")) {
                requireType(type, at, "a floating-point number", "d");
                return typed(body.equals("nan") ? Double.NaN
                        : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, "d");
            }
            boolean hex = body.startsWith("0x") || body.startsWith("0X");
            if (!hex && (body.contains(".") || body.contains("e") || body.contains("E"))) {
                return floating(type, at, token);
            }
            int radix = hex ? 16 : body.length() > 1 && body.startsWith("0") ? 8 : 10;
            String digits = hex ? body.substring(2) : body;
            BigInteger magnitude;
            try {
                // BigInteger accepts its own sign character; a second one must not slip through.
                if (digits.isEmpty() || digits.startsWith("-") || digits.startsWith("+")) {
                    throw new NumberFormatException();
                }
                magnitude = new BigInteger(digits, radix);
            } catch (NumberFormatException e) {
                throw error(at, "invalid number '" + token + "'");
            }
            BigInteger number = negative ? magnitude.negate() : magnitude;
            String effective = type == null ? "i" : type;
            requireType(effective, at, "an integer", "ynqiuxthd");
            lastType = effective;
            if (effective.equals("d")) {
                return number.doubleValue();
            }
            BigInteger[] range = integerRange(effective.charAt(0));
            if (number.compareTo(range[0]) < 0 || number.compareTo(range[1]) > 0) {
                throw error(at, "number " + token + " is out of range for type '" + effective + "'");
            }
            return number.longValue();
        }

        private Object floating(String type, int at, String token) {
            requireType(type, at, "a floating-point number", "d");
            if (!token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                throw error(at, "invalid number '" + token + "'");
            }
            double value = Double.parseDouble(token);
            if (Double.isInfinite(value)) {
                throw error(at, "number " + token + " is too big for a double");
            }
            return typed(value, "d");
        }

        private BigInteger[] integerRange(char type) {
            return switch (type) {
                case 'y' -> range(0, 255);
                case 'n' -> range(Short.MIN_VALUE, Short.MAX_VALUE);
                case 'q' -> range(0, 65535);
                case 'i', 'h' -> range(Integer.MIN_VALUE, Integer.MAX_VALUE);
                case 'u' -> range(0, 0xFFFF_FFFFL);
                case 'x' -> range(Long.MIN_VALUE, Long.MAX_VALUE);
                case 't' -> new BigInteger[] {BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)};
                default -> throw new IllegalStateException("not an integer type: " + type);
            };
        }

        private BigInteger[] range(long min, long max) {
            return new BigInteger[] {BigInteger.valueOf(min), BigInteger.valueOf(max)};
        }

        private String string(String type) {
            int at = pos;
            requireType(type, at, "a string", "sog");
            char quote = text.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw error(at, "unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == quote) {
                    break;
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw error(at, "unterminated string");
                }
                int escapeAt = pos - 1;
                char e = text.charAt(pos++);
                switch (e) {
                    case '\\', '\'', '"' -> out.append(e);
                    case 'u' -> out.appendCodePoint(unicodeEscape(escapeAt, 4));
                    case 'U' -> out.appendCodePoint(unicodeEscape(escapeAt, 8));
                    default -> {
                        int control = controlEscape(e);
                        if (control < 0) {
                            throw error(escapeAt, "unsupported escape '\\" + e + "' in a string (expected one of"
                                    + " \\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v \\uXXXX \\UXXXXXXXX)");
                        }
                        out.append((char) control);
                    }
                }
            }
            String value = out.toString();
            if ("o".equals(type) && !OBJECT_PATH.matcher(value).matches()) {
                throw error(at, "'" + value + "' is not a valid object path");
            }
            if ("g".equals(type) && !isSignature(value)) {
                throw error(at, "'" + value + "' is not a valid signature");
            }
            return typed(value, type == null ? "s" : type);
        }

        private int controlEscape(char e) {
            return switch (e) {
                case 'a' -> 0x07;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'v' -> 0x0b;
                default -> -1;
            };
        }

        private int unicodeEscape(int escapeAt, int length) {
            if (pos + length > text.length()) {
                throw error(escapeAt, "expected " + length + " hex digits after '\\" + text.charAt(escapeAt + 1) + "'");
            }
            String hexDigits = text.substring(pos, pos + length);
            if (!hexDigits.matches("[0-9A-Fa-f]+")) {
                throw error(escapeAt, "expected " + length + " hex digits after '\\" + text.charAt(escapeAt + 1)
                        + "' but found '" + hexDigits + "'");
            }
            pos += length;
            long cp = Long.parseLong(hexDigits, 16);
            if (cp == 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw error(escapeAt, "'\\" + text.charAt(escapeAt + 1) + hexDigits
                        + "' is not a character a GVariant string can hold");
            }
            return (int) cp;
        }

        private List<Object> bytestring(String type) {
            int at = pos;
            if (type != null && !type.equals("ay")) {
                throw error(at, "a bytestring cannot be a value of type '" + type + "'");
            }
            pos++;
            char quote = text.charAt(pos++);
            List<Object> bytes = new ArrayList<>();
            while (true) {
                if (atEnd()) {
                    throw error(at, "unterminated bytestring");
                }
                int cp = text.codePointAt(pos);
                pos += Character.charCount(cp);
                if (cp == quote) {
                    break;
                }
                if (cp != '\\') {
                    for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                        bytes.add((long) (b & 0xFF));
                    }
                    continue;
                }
                if (atEnd()) {
                    throw error(at, "unterminated bytestring");
                }
                bytes.add((long) bytestringEscape(pos - 1));
            }
            // A bytestring literal stands for its bytes plus a terminating NUL, as in GLib.
            bytes.add(0L);
            return typed(Collections.unmodifiableList(bytes), "ay");
        }

        private int bytestringEscape(int escapeAt) {
            char e = text.charAt(pos);
            if (e >= '0' && e <= '7') {
                int end = pos;
                while (end < text.length() && end - pos < 3 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
                    end++;
                }
                int value = Integer.parseInt(text.substring(pos, end), 8);
                if (value > 0xFF) {
                    throw error(escapeAt, "octal escape '\\" + text.substring(pos, end) + "' is larger than a byte");
                }
                pos = end;
                return value;
            }
            pos++;
            if (e == '\\' || e == '\'' || e == '"') {
                return e;
            }
            int control = controlEscape(e);
            if (control < 0) {
                throw error(escapeAt, "unsupported escape '\\" + e + "' in a bytestring (expected octal \\NNN,"
                        + " \\\\ \\' \\\" or one of \\a \\b \\f \\n \\r \\t \\v)");
            }
            return control;
        }

        private List<Object> array(String type) {
            int at = pos++;
            String elementType = null;
            if (type != null) {
                if (!type.startsWith("a") || type.startsWith("a{")) {
                    throw error(at, "an array cannot be a value of type '" + type + "'");
                }
                elementType = type.substring(1);
            }
            List<Object> elements = new ArrayList<>();
            skipWhitespace();
            if (!atEnd() && text.charAt(pos) == ']') {
                pos++;
                if (type == null) {
                    throw error(at, "the type of an empty array cannot be inferred; annotate it, e.g. '@as []'");
                }
                return List.of();
            }
            while (true) {
                elements.add(value(elementType));
                elementType = lastType;
                skipWhitespace();
                if (atEnd() || (text.charAt(pos) != ',' && text.charAt(pos) != ']')) {
                    throw expected("',' or ']'");
                }
                if (text.charAt(pos++) == ']') {
                    return typed(Collections.unmodifiableList(elements), "a" + elementType);
                }
            }
        }

        private Object dictionary(String type) {
            int at = pos++;
            String keyType = null;
            String valueType = null;
            if (type != null) {
                if (!type.startsWith("a{") && !type.startsWith("{")) {
                    throw error(at, "a dictionary cannot be a value of type '" + type + "'");
                }
                int open = type.indexOf('{');
                keyType = type.substring(open + 1, open + 2);
                valueType = type.substring(open + 2, type.length() - 1);
            }
            boolean entryType = type != null && type.startsWith("{");
            Map<String, Object> entries = new LinkedHashMap<>();
            skipWhitespace();
            if (!atEnd() && text.charAt(pos) == '}') {
                pos++;
                if (type == null) {
                    throw error(at, "the type of an empty dictionary cannot be inferred; annotate it, e.g. '@a{ss} {}'");
                }
                if (entryType) {
                    throw error(at, "a dict entry needs a key and a value");
                }
                return Map.of();
            }
            while (true) {
                skipWhitespace();
                int keyAt = pos;
                Object key = value(keyType);
                keyType = lastType;
                // By type, not by the Java value: a variant holding a number reads as a number, but
                // its type 'v' cannot be a key, and would make the dictionary's type one that
                // typeEnd refuses and tupleMembers cannot split.
                if (BASIC_TYPES.indexOf(keyType.charAt(0)) < 0 || keyType.length() != 1) {
                    throw error(keyAt, "a dictionary key must be a basic value");
                }
                skipWhitespace();
                if (entryType || (type == null && entries.isEmpty() && !atEnd() && text.charAt(pos) == ',')) {
                    if (atEnd() || text.charAt(pos) != ',') {
                        throw expected("',' after the key of a dict entry");
                    }
                    return dictEntry(key, keyType, valueType);
                }
                if (atEnd() || text.charAt(pos) != ':') {
                    throw expected("':' after a dictionary key");
                }
                pos++;
                Object value = value(valueType);
                valueType = lastType;
                if (entries.putIfAbsent(String.valueOf(key), value) != null) {
                    throw error(keyAt, "duplicate dictionary key '" + key + "'");
                }
                skipWhitespace();
                if (atEnd() || (text.charAt(pos) != ',' && text.charAt(pos) != '}')) {
                    throw expected("',' or '}'");
                }
                if (text.charAt(pos++) == '}') {
                    return typed(Collections.unmodifiableMap(entries), "a{" + keyType + valueType + "}");
                }
            }
        }

        /** The rest of a lone dict entry {@code {key, value}}, from the comma on. */
        private List<Object> dictEntry(Object key, String keyType, String valueType) {
            pos++;
            Object value = value(valueType);
            skipWhitespace();
            if (atEnd() || text.charAt(pos) != '}') {
                throw expected("'}' after the value of a dict entry");
            }
            pos++;
            return typed(List.of(key, value), "{" + keyType + lastType + "}");
        }

        private List<Object> tuple(String type) {
            int at = pos++;
            List<String> memberTypes = null;
            if (type != null) {
                if (!type.startsWith("(")) {
                    throw error(at, "a tuple cannot be a value of type '" + type + "'");
                }
                // '@' limits how deep a type it takes, but the type of a previous array element,
                // inferred from its value, can be deeper than that.
                if (typeEnd(type, 0) != type.length()) {
                    throw error(at, "a tuple of a type nested more than " + MAX_DEPTH + " deep");
                }
                memberTypes = tupleMembers(type);
            }
            List<Object> members = new ArrayList<>();
            StringBuilder inferred = new StringBuilder("(");
            skipWhitespace();
            while (atEnd() || text.charAt(pos) != ')') {
                if (memberTypes != null && members.size() == memberTypes.size()) {
                    throw expected("')' after " + memberTypes.size() + " members of type '" + type + "'");
                }
                members.add(value(memberTypes == null ? null : memberTypes.get(members.size())));
                inferred.append(lastType);
                skipWhitespace();
                if (!atEnd() && text.charAt(pos) == ',') {
                    pos++;
                    skipWhitespace();
                } else if (atEnd() || text.charAt(pos) != ')') {
                    throw expected("',' or ')'");
                } else if (members.size() == 1) {
                    // GLib reads "(x)" as a mistake, not as a one-element tuple.
                    throw expected("',' after the only member of a tuple");
                }
            }
            pos++;
            if (memberTypes != null && members.size() != memberTypes.size()) {
                throw error(at, "tuple has " + members.size() + " members but type '" + type + "' needs "
                        + memberTypes.size());
            }
            return typed(Collections.unmodifiableList(members), inferred.append(')').toString());
        }

        private Object variant(String type) {
            int at = pos++;
            if (type != null && !type.equals("v")) {
                throw error(at, "a variant cannot be a value of type '" + type + "'");
            }
            Object content = value(null);
            skipWhitespace();
            if (atEnd() || text.charAt(pos) != '>') {
                throw expected("'>'");
            }
            pos++;
            return typed(content, "v");
        }
    }
}
