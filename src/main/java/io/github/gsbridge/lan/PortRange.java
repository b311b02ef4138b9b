package io.github.gsbridge.lan;

/** An inclusive range of TCP ports; we bind the first free one. */
public record PortRange(int first, int last) {
    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("invalid port range " + first + "-" + last);
        }
    }

    public static PortRange parse(String text) {
        String[] parts = text.split("-", 2);
        try {
            int first = Integer.parseInt(parts[0].trim());
            int last = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : first;
            return new PortRange(first, last);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port range \"" + text + "\" (expected N or N-M)");
        }
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
