package io.github.gsbridge.credentials;

/** Where our certificate and pairings come from. */
public enum IdentitySource {
    /** GSConnect's certificate files and dconf tree. */
    GSCONNECT,
    /** gsbridge's own generated certificate and pairing file. */
    OWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
