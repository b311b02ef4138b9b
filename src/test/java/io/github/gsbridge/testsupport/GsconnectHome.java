package io.github.gsbridge.testsupport;

import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.credentials.DconfException;
import io.github.gsbridge.credentials.GVariantText;
import io.github.gsbridge.credentials.GsconnectDconf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A home directory as GSConnect 54 leaves it: {@code ~/.config/gsconnect/certificate.pem} and
 * {@code private.pem} made the way GSConnect makes them ({@code openssl req}, RSA 4096, PKCS#8; EC
 * P-256 for GSConnect 62),
 * and a real dconf database behind a private session bus. The bus gets this home's environment
 * because dconf-service, which it starts, writes where the bus's environment says.
 */
public final class GsconnectHome implements AutoCloseable {
    private final Path home;
    private final String deviceId;
    private final PrivateBus bus;
    private final Map<String, String> environment;
    private final Dconf dconf;

    private GsconnectHome(Path home, String deviceId, PrivateBus bus, Map<String, String> environment) {
        this.home = home;
        this.deviceId = deviceId;
        this.bus = bus;
        this.environment = environment;
        this.dconf = new Dconf(RealComponents.requireOnPath("dconf"), environment);
    }

    public static GsconnectHome create(Path dir, String deviceId, String name) throws Exception {
        return create(dir, deviceId, name, GsconnectVersion.V54, false);
    }

    /**
     * A home as {@code version} makes it (its key type; the id is the caller's), with that release
     * installed for this user: gsbridge speaks the protocol of the GSConnect it finds installed.
     */
    public static GsconnectHome create(Path dir, String deviceId, String name, GsconnectVersion version)
            throws Exception {
        return create(dir, deviceId, name, version, true);
    }

    private static GsconnectHome create(Path dir, String deviceId, String name, GsconnectVersion version,
                                        boolean installed) throws Exception {
        Path home = dir.resolve("home");
        Path config = home.resolve(".config");
        Path runtime = dir.resolve("run");
        Path gsconnect = config.resolve("gsconnect");
        Files.createDirectories(gsconnect);
        if (installed) {
            Path extension = Files.createDirectories(home.resolve(".local/share/gnome-shell/extensions")
                    .resolve("gsconnect@andyholmes.github.io"));
            Files.writeString(extension.resolve("metadata.json"),
                    "{\"uuid\": \"gsconnect@andyholmes.github.io\", \"version\": " + version.release() + "}\n");
        }
        Files.createDirectories(runtime);
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        String openssl = RealComponents.requireOnPath("openssl");
        List<String> req = new ArrayList<>(List.of(openssl, "req", "-new", "-x509", "-sha256", "-nodes"));
        req.addAll(version.newKey());
        req.addAll(List.of("-days", "3650", "-subj", "/O=andyholmes.github.io/OU=GSConnect/CN=" + deviceId,
                "-keyout", gsconnect.resolve("private.pem").toString(),
                "-out", gsconnect.resolve("certificate.pem").toString()));
        ManagedProcess.run(req, null, Duration.ofSeconds(60)).assertOk("openssl req (GSConnect-style certificate)");

        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", home.toString());
        environment.put("XDG_CONFIG_HOME", config.toString());
        environment.put("XDG_RUNTIME_DIR", runtime.toString());
        List<String> prefix = new ArrayList<>(List.of(RealComponents.requireOnPath("env")));
        environment.forEach((key, value) -> prefix.add(key + "=" + value));
        PrivateBus bus = PrivateBus.start(dir.resolve("bus"), prefix);
        environment.put("DBUS_SESSION_BUS_ADDRESS", bus.address());
        GsconnectHome result = new GsconnectHome(home, deviceId, bus, Map.copyOf(environment));
        result.load("[/]\nname=" + GVariantText.formatString(name) + "\n");
        return result;
    }

    /** Records a device as GSConnect does after pairing: listed in devices, paired, certificate pinned. */
    public void pair(String id, String name, String type, String certificatePem) throws DconfException {
        List<String> devices = new ArrayList<>(GsconnectDconf.read(dconf).deviceIds());
        if (!devices.contains(id)) {
            devices.add(id);
        }
        load("[/]\ndevices=" + GVariantText.formatStringArray(devices) + "\n\n"
                + "[device/" + id + "]\n"
                + "certificate-pem=" + GVariantText.formatString(certificatePem) + "\n"
                + "name=" + GVariantText.formatString(name) + "\n"
                + "type=" + GVariantText.formatString(type) + "\n"
                + "paired=true\n");
    }

    private void load(String text) {
        try {
            dconf.load(GsconnectDconf.PATH, text);
        } catch (DconfException e) {
            throw new AssertionError("dconf load failed: " + e.getMessage(), e);
        }
    }

    public String deviceId() {
        return deviceId;
    }

    public String certificatePem() {
        try {
            return Files.readString(home.resolve(".config/gsconnect/certificate.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Dconf dconf() {
        return dconf;
    }

    /** HOME, XDG_CONFIG_HOME, XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS for programs using this home. */
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public void close() {
        bus.close();
    }
}
