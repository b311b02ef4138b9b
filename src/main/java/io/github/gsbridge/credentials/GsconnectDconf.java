package io.github.gsbridge.credentials;

/** Where GSConnect keeps its settings in dconf, and reading them. */
public final class GsconnectDconf {
    public static final String PATH = "/org/gnome/shell/extensions/gsconnect/";

    private GsconnectDconf() {}

    /**
     * Dumps and parses GSConnect's whole settings tree.
     *
     * @throws DconfException when dconf cannot be run or fails
     * @throws DconfFormatException when its output cannot be parsed
     */
    public static GsconnectSettings read(Dconf dconf) throws DconfException {
        return GsconnectSettings.fromDump(DconfDump.parse(dconf.dump(PATH)));
    }
}
