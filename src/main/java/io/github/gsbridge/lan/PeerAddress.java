package io.github.gsbridge.lan;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a device is, as a user gives it: {@code HOST} or {@code HOST:PORT} (an IPv6 literal in
 * brackets when a port follows), or GSConnect's {@code lan://HOST[:PORT]}. The port is the
 * device's discovery (UDP) port; without one the peers' usual port applies. The host may be a
 * name (a VPN's DNS name, say): it is looked up each time it is dialled.
 */
public record PeerAddress(String host, Optional<Integer> port) {
    private static final String SCHEME = "lan://";

    public PeerAddress {
        host = host.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code HOST[:PORT]} or {@code lan://HOST[:PORT]}; the message of the exception says what is wrong. */
    public static PeerAddress parse(String text) {
        String trimmed = text.strip();
        String bare = trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? trimmed.substring(SCHEME.length()) : trimmed;
        // An IPv6 literal without brackets cannot carry a port: all of it is the host.
        if (bare.indexOf(':') != bare.lastIndexOf(':') && !bare.startsWith("[")) {
            trimmed = "[" + bare + "]";
        }
        String withScheme = trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) ? trimmed : SCHEME + trimmed;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a host or host:port (" + e.getReason() + ")");
        }
        if (!"lan".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null
                || (uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new IllegalArgumentException("\"" + text + "\" is not a host or host:port");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": port " + uri.getPort() + " is out of range");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new PeerAddress(host, uri.getPort() < 0 ? Optional.empty() : Optional.of(uri.getPort()));
    }

    /** Looks the host up (a literal needs no lookup). */
    public InetAddress resolve() throws UnknownHostException {
        return InetAddress.getByName(host);
    }

    /** The discovery port to send to: ours when given, else {@code usual}. */
    public int portOr(int usual) {
        return port.orElse(usual);
    }

    /** {@code HOST}, {@code HOST:PORT} or {@code [V6]:PORT}: the form {@link #parse} reads back. */
    @Override
    public String toString() {
        if (port.isEmpty()) {
            return host;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port.get();
    }
}
