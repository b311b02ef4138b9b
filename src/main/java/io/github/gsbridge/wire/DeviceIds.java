package io.github.gsbridge.wire;

import java.util.regex.Pattern;

/** Device id rules shared by kdeconnect-kde, Android, GSConnect and Valent. */
public final class DeviceIds {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_-]{32,38}");

    private DeviceIds() {}

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The id as kdeconnect-kde rewrites it: every character outside [A-Za-z0-9_] becomes '_'. */
    public static String filtered(String id) {
        StringBuilder out = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            out.append(keep ? c : '_');
        }
        return out.toString();
    }
}
