package io.github.gsbridge.credentials;

/** GVariant text that {@link GVariantText#parse} cannot read; {@link #position()} is a 0-based char index. */
public final class GVariantParseException extends IllegalArgumentException {
    private final int position;

    GVariantParseException(int position, String problem) {
        super("GVariant text, at position " + position + ": " + problem);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
