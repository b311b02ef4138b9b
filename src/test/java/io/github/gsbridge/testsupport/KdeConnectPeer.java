package io.github.gsbridge.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A real {@code kdeconnectd} ({@link KdeConnectVersion}: Debian 12's 22.12 by default, or Debian 13's
 * 25.04 from the {@link TrixieTree}) running headless inside a network namespace, on its own private
 * session bus, with its own HOME/XDG dirs under a test directory.
 *
 * <p>Layout under {@code dir}: {@code home/.config/kdeconnect/} (QSettings: {@code config},
 * {@code trusted_devices}, {@code certificate.pem}, {@code privateKey.pem}), {@code run/} (0700
 * XDG_RUNTIME_DIR), {@code work/} (the daemon's working directory, where shared text lands as
 * {@code kdeconnect-XXXXXX.txt}), {@code downloads/} (default download dir, written to
 * {@code user-dirs.dirs}), {@code bus} + {@code dbus-daemon.log} (the {@link PrivateBus}),
 * {@code kdeconnectd-N.log} (output of the N-th start).
 *
 * <p>Trust can only be edited while the daemon is stopped (it rewrites its files): {@link #stop()},
 * {@link #trust}, {@link #start()}. The certificate (and so the device id) persists across restarts.
 *
 * <p>Log lines seen with {@code QT_LOGGING_RULES=kdeconnect.*=true} (22.12.3) are collected in
 * {@link #LOG_STARTED} etc.
 */
public final class KdeConnectPeer implements AutoCloseable {
    public static final String KDECONNECTD = "/usr/lib/x86_64-linux-gnu/libexec/kdeconnectd";
    public static final String KDECONNECT_CLI = "/usr/bin/kdeconnect-cli";
    public static final String BUS_NAME = "org.kde.kdeconnect";

    /** Last line of a successful start ({@link #start()} waits for it, then for the bus name). */
    public static final Pattern LOG_STARTED = Pattern.compile("kdeconnect\\.core: Daemon started");
    /** Printed once the LAN provider listens (UDP/TCP 1716 bound); just before {@link #LOG_STARTED}. */
    public static final Pattern LOG_LAN_STARTED = Pattern.compile("kdeconnect\\.core: LanLinkProvider started");
    /** The daemon's own id: {@code kdeconnect.core: My id: "_..._"}. */
    public static final Pattern LOG_MY_ID = Pattern.compile("kdeconnect\\.core: My id: \"([^\"]+)\"");

    /** A TLS link to the peer named {@code peerName} is up (printed on both sides, per connection). */
    public static Pattern logLinkEstablished(String peerName) {
        return Pattern.compile("kdeconnect\\.core: It is a (?:new|known) device \"" + Pattern.quote(peerName) + "\"");
    }

    /** Received a {@code kdeconnect.pair} with {@code pair:true} from an untrusted peer. */
    public static final Pattern LOG_PAIR_REQUEST = Pattern.compile("kdeconnect\\.core: Pair request$");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final NamespacePair pair;
    private final String namespace;
    private final String loggingRules;
    private final KdeConnectVersion version;
    private final String systemBus;
    private final String display;
    private final Path home;
    private final Path configDir;
    private final Path runtimeDir;
    private final Path workingDir;
    private final Path downloadDir;
    private PrivateBus bus;
    private ManagedProcess daemon;
    private int starts;

    private KdeConnectPeer(Builder b) {
        this.dir = b.dir.toAbsolutePath();
        this.pair = b.pair;
        this.namespace = b.namespace;
        this.loggingRules = b.loggingRules;
        this.version = b.version;
        this.systemBus = b.systemBus;
        this.display = b.display;
        this.home = dir.resolve("home");
        this.configDir = home.resolve(".config");
        this.runtimeDir = dir.resolve("run");
        this.workingDir = dir.resolve("work");
        this.downloadDir = b.downloadDir != null ? b.downloadDir.toAbsolutePath() : dir.resolve("downloads");
    }

    /** A peer in {@code namespace} (one of {@code pair}'s), keeping its state under {@code dir}. */
    public static Builder builder(Path dir, NamespacePair pair, String namespace) {
        pair.address(namespace); // validates
        return new Builder(dir, pair, namespace);
    }

    /** Options applied before the first start. */
    public static final class Builder {
        private final Path dir;
        private final NamespacePair pair;
        private final String namespace;
        private String name;
        private Path certPem;
        private Path keyPem;
        private final List<String> customDevices = new ArrayList<>();
        private final List<String[]> trusts = new ArrayList<>();
        private Path downloadDir;
        private String loggingRules = "kdeconnect.*=true";
        private KdeConnectVersion version = KdeConnectVersion.V22_12;
        private String systemBus;
        private String display;

        private Builder(Path dir, NamespacePair pair, String namespace) {
            this.dir = dir;
            this.pair = pair;
            this.namespace = namespace;
        }

        /** The announced device name ({@code [General] name=}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Preinstalls this certificate/private key (PEM; key PKCS#8), so the device id is its CN. */
        public Builder certificate(Path certPem, Path keyPem) {
            this.certPem = certPem;
            this.keyPem = keyPem;
            return this;
        }

        /** Pre-trusts (pairs) a peer by writing {@code trusted_devices} before the start. */
        public Builder trust(String deviceId, String name, String certificatePem) {
            trusts.add(new String[] {deviceId, name, certificatePem});
            return this;
        }

        /** Adds an address the daemon also unicasts its UDP identity to ({@code customDevices}). */
        public Builder customDevice(String ip) {
            customDevices.add(ip);
            return this;
        }

        /** Where received files go (default {@code dir/downloads}). */
        public Builder downloadDir(Path downloadDir) {
            this.downloadDir = downloadDir;
            return this;
        }

        /** {@code QT_LOGGING_RULES} (default {@code kdeconnect.*=true}). */
        public Builder loggingRules(String rules) {
            this.loggingRules = rules;
            return this;
        }

        /**
         * The system bus it sees (UPower, through Solid, tells it its battery); by default the
         * standard one.
         */
        public Builder systemBus(String address) {
            this.systemBus = address;
            return this;
        }

        /** Which release runs (default 22.12). */
        public Builder version(KdeConnectVersion version) {
            this.version = version;
            return this;
        }

        /**
         * Runs on this X display ({@code DISPLAY}, Qt's xcb platform) instead of offscreen: the
         * clipboard plugin then uses the display's clipboard, which a test reads and sets with xclip.
         */
        public Builder display(String display) {
            this.display = display;
            return this;
        }

        /** Writes the configuration without starting anything. */
        public KdeConnectPeer build() {
            KdeConnectPeer peer = new KdeConnectPeer(this);
            try {
                peer.prepare(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return peer;
        }

        /** Writes the configuration, starts bus + daemon and waits until the daemon is ready. */
        public KdeConnectPeer start() {
            KdeConnectPeer peer = build();
            try {
                peer.start();
            } catch (RuntimeException | Error e) {
                peer.close();
                throw e;
            }
            return peer;
        }
    }

    private void prepare(Builder b) throws IOException {
        Files.createDirectories(configDir.resolve("kdeconnect"));
        Files.createDirectories(workingDir);
        Files.createDirectories(downloadDir);
        Files.createDirectories(runtimeDir);
        Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx------"));
        StringBuilder config = new StringBuilder("[General]\n");
        if (b.name != null) {
            config.append("name=").append(iniValue(b.name)).append('\n');
        }
        if (b.certPem != null && isEc(Files.readString(b.certPem, StandardCharsets.US_ASCII))) {
            // 25.04 reads the key as RSA unless told, finds it "not valid" and makes a new identity
            config.append("keyAlgorithm=EC\n");
        }
        if (!b.customDevices.isEmpty()) {
            config.append("customDevices=").append(String.join(", ", b.customDevices)).append('\n');
        }
        Files.writeString(kdeconnectDir().resolve("config"), config.toString());
        Files.writeString(configDir.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"" + downloadDir + "\"\n");
        if (b.certPem != null) {
            Files.copy(b.certPem, kdeconnectDir().resolve("certificate.pem"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(b.keyPem, kdeconnectDir().resolve("privateKey.pem"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // kdeconnectd warns about "too open permissions" otherwise
            for (String file : List.of("certificate.pem", "privateKey.pem")) {
                Files.setPosixFilePermissions(kdeconnectDir().resolve(file), PosixFilePermissions.fromString("rw-------"));
            }
        }
        for (String[] t : b.trusts) {
            writeTrust(t[0], t[1], t[2], "smartphone");
        }
    }

    private Path kdeconnectDir() {
        return configDir.resolve("kdeconnect");
    }

    /** Environment for kdeconnectd and kdeconnect-cli (complete, like {@code env -i}). */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", configDir.toString());
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_RUNTIME_DIR", runtimeDir.toString());
        env.put("DBUS_SESSION_BUS_ADDRESS", busAddress());
        if (systemBus != null) {
            env.put("DBUS_SYSTEM_BUS_ADDRESS", systemBus);
        }
        if (display == null) {
            env.put("QT_QPA_PLATFORM", "offscreen");
        } else {
            env.put("QT_QPA_PLATFORM", "xcb");
            env.put("DISPLAY", display);
        }
        env.put("QT_LOGGING_RULES", loggingRules);
        // Timestamps line its log up with gsbridge's; the category prefix stays as without a pattern.
        env.put("QT_MESSAGE_PATTERN", "%{time hh:mm:ss.zzz} %{if-category}%{category}: %{endif}%{message}");
        return env;
    }

    /** Starts the private bus and kdeconnectd (again, after {@link #stop()}) and waits until ready. */
    public synchronized void start() {
        if (daemon != null && daemon.isAlive()) {
            throw new IllegalStateException("already running");
        }
        version.require();
        try {
            if (bus == null) {
                bus = PrivateBus.start(dir, pair.execPrefix(namespace));
            }
            starts++;
            List<String> command = new ArrayList<>(version.execPrefix(namespace));
            command.add(version.daemon());
            daemon = ManagedProcess.start("kdeconnectd@" + namespace, command, environment(), workingDir,
                    dir.resolve("kdeconnectd-" + starts + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        daemon.waitForLine(LOG_STARTED, START_TIMEOUT);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!busNameOwned()) {
            if (System.nanoTime() > deadline || !daemon.isAlive()) {
                throw new AssertionError(BUS_NAME + " not owned on " + busAddress() + "\n" + daemon.tail(40));
            }
            ManagedProcess.pause(50);
        }
    }

    private boolean busNameOwned() {
        ManagedProcess.Result r = gdbusCall("org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner", BUS_NAME);
        return r.ok() && r.stdout().contains("true");
    }

    /** Stops kdeconnectd, then its bus. The configuration stays; {@link #start()} runs it again. */
    public synchronized void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (bus != null) {
            bus.close();
            bus = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return daemon != null && daemon.isAlive();
    }

    /** The current (or last) daemon process and its collected log. */
    public ManagedProcess log() {
        if (daemon == null) {
            throw new IllegalStateException("never started");
        }
        return daemon;
    }

    public String namespace() {
        return namespace;
    }

    /** This peer's IPv4 address on the veth. */
    public String address() {
        return pair.address(namespace);
    }

    public Path dir() {
        return dir;
    }

    public Path downloadDir() {
        return downloadDir;
    }

    public Path workingDir() {
        return workingDir;
    }

    /** {@code $XDG_CONFIG_HOME/kdeconnect}. */
    public Path configDir() {
        return kdeconnectDir();
    }

    public String busAddress() {
        return "unix:path=" + dir.resolve("bus");
    }

    /** The PEM of this daemon's certificate (generated at its first start unless preinstalled). */
    public String certificatePem() {
        Path file = kdeconnectDir().resolve("certificate.pem");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("no certificate yet (start the peer first?): " + file, e);
        }
    }

    /**
     * The device id: the CN of its certificate. (The log line {@code My id: "..."} only appears when
     * the daemon generates its key, i.e. on a first start without a preinstalled certificate.)
     */
    public String deviceId() {
        return commonName(certificatePem());
    }

    /** The announced name, as configured (null: kdeconnectd's default, the host name). */
    public String name() {
        try {
            Matcher m = Pattern.compile("(?m)^name=(.*)$").matcher(Files.readString(kdeconnectDir().resolve("config")));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code kdeconnect-cli args} on this peer's bus, inside its namespace (15 s timeout). */
    public ManagedProcess.Result cli(String... args) {
        return cli(CLI_TIMEOUT, args);
    }

    public ManagedProcess.Result cli(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(version.execPrefix(namespace));
        command.add(KDECONNECT_CLI);
        command.addAll(List.of(args));
        return ManagedProcess.run(command, environment(), workingDir, timeout);
    }

    /**
     * {@code gdbus call} on this peer's bus (from the root namespace: the bus is a unix path), e.g.
     * {@code gdbusCall("org.kde.kdeconnect", "/modules/kdeconnect", "org.kde.kdeconnect.daemon.devices", "true", "false")}.
     */
    public ManagedProcess.Result gdbusCall(String dest, String objectPath, String method, String... args) {
        List<String> command = new ArrayList<>(List.of("gdbus", "call", "--address", busAddress(), "--dest", dest,
                "--object-path", objectPath, "--method", method));
        command.addAll(List.of(args));
        return ManagedProcess.run(command, Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(10));
    }

    /** The id the running daemon reports on D-Bus ({@code org.kde.kdeconnect.daemon.selfId}). */
    public String selfId() {
        ManagedProcess.Result r = gdbusCall(BUS_NAME, "/modules/kdeconnect", "org.kde.kdeconnect.daemon.selfId");
        r.assertOk("selfId()");
        Matcher m = Pattern.compile("'([^']*)'").matcher(r.stdout());
        if (!m.find()) {
            throw new AssertionError("unexpected selfId() reply: " + r);
        }
        return m.group(1);
    }

    /** Device ids the daemon knows, via {@code org.kde.kdeconnect.daemon.devices(onlyReachable, onlyPaired)}. */
    public List<String> devices(boolean onlyReachable, boolean onlyPaired) {
        ManagedProcess.Result r = gdbusCall(BUS_NAME, "/modules/kdeconnect", "org.kde.kdeconnect.daemon.devices",
                String.valueOf(onlyReachable), String.valueOf(onlyPaired));
        r.assertOk("devices()");
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'").matcher(r.stdout());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** Calls a method of its device object for {@code deviceId} ({@code org.kde.kdeconnect.device}). */
    public ManagedProcess.Result deviceCall(String deviceId, String method) {
        return gdbusCall(BUS_NAME, "/modules/kdeconnect/devices/" + deviceId, "org.kde.kdeconnect.device." + method);
    }

    /** Waits until {@code deviceId} asks it to pair (22.12: {@code hasPairingRequests}, 25.04: {@code isPairRequestedByPeer}). */
    public void awaitPairRequestFrom(String deviceId, Duration timeout) {
        String method = version == KdeConnectVersion.V22_12 ? "hasPairingRequests" : "isPairRequestedByPeer";
        long deadline = System.nanoTime() + timeout.toNanos();
        ManagedProcess.Result r;
        while (!(r = deviceCall(deviceId, method)).stdout().contains("true")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(namespace + ": no pair request from " + deviceId + " within " + timeout + ": "
                        + r + "\n" + log().tail(40));
            }
            ManagedProcess.pause(100);
        }
    }

    /**
     * What it shows a user to compare before pairing with {@code deviceId}: the certificates' SHA-256
     * fingerprints in 22.12 ({@code encryptionInfo}), the verification key in 25.04.
     */
    public String pairingKeyText(String deviceId) {
        ManagedProcess.Result r = deviceCall(deviceId,
                version == KdeConnectVersion.V22_12 ? "encryptionInfo" : "verificationKey");
        r.assertOk("pairing key of " + deviceId);
        return r.stdout();
    }

    /** Polls until kdeconnectd no longer counts {@code deviceId} as paired. */
    public void awaitUnpaired(String deviceId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (devices(false, true).contains(deviceId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(namespace + ": " + deviceId + " still paired after " + timeout + "\n"
                        + log().tail(40));
            }
            ManagedProcess.pause(100);
        }
    }

    /**
     * Polls until {@code deviceId} is reachable (and, if {@code paired}, trusted); throws with the
     * log tail otherwise.
     */
    public void awaitReachable(String deviceId, boolean paired, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen;
        while (!(seen = devices(true, paired)).contains(deviceId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(namespace + ": device " + deviceId + " not reachable" + (paired ? "+paired" : "")
                        + " within " + timeout + "; reachable" + (paired ? "+paired" : "") + ": " + seen + "\n"
                        + log().tail(40));
            }
            ManagedProcess.pause(200);
        }
    }

    /**
     * Marks a peer trusted by (re)writing its group in {@code trusted_devices}. Only while stopped:
     * the running daemon would overwrite the file. {@code type} as in the identity packet
     * ({@code smartphone}, {@code desktop}, ...).
     */
    public synchronized void trust(String deviceId, String name, String certificatePem, String type) {
        if (isRunning()) {
            throw new IllegalStateException("stop() the daemon before editing trusted_devices");
        }
        try {
            writeTrust(deviceId, name, certificatePem, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #trust(String, String, String, String)} with type {@code smartphone}. */
    public void trust(String deviceId, String name, String certificatePem) {
        trust(deviceId, name, certificatePem, "smartphone");
    }

    /** Removes a peer from {@code trusted_devices} (while stopped). */
    public synchronized void untrust(String deviceId) {
        if (isRunning()) {
            throw new IllegalStateException("stop() the daemon before editing trusted_devices");
        }
        try {
            Path file = kdeconnectDir().resolve("trusted_devices");
            Map<String, String> groups = readGroups(file);
            groups.remove(deviceId);
            writeGroups(file, groups);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw {@code trusted_devices} file, or "" if there is none. */
    public String trustedDevicesFile() {
        Path file = kdeconnectDir().resolve("trusted_devices");
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeTrust(String deviceId, String name, String certificatePem, String type) throws IOException {
        Path file = kdeconnectDir().resolve("trusted_devices");
        Map<String, String> groups = readGroups(file);
        String pem = certificatePem.endsWith("\n") ? certificatePem : certificatePem + "\n";
        groups.put(deviceId, "certificate=" + iniQuoted(pem) + "\n"
                + "name=" + iniValue(name) + "\n"
                + "type=" + type + "\n");
        writeGroups(file, groups);
    }

    /** Splits a QSettings INI file into {@code group -> body} (the body keeps its lines verbatim). */
    private static Map<String, String> readGroups(Path file) throws IOException {
        Map<String, String> groups = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return groups;
        }
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("[") && line.endsWith("]")) {
                if (current != null) {
                    groups.put(current, body.toString());
                }
                current = line.substring(1, line.length() - 1);
                body.setLength(0);
            } else if (!line.isBlank()) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            groups.put(current, body.toString());
        }
        return groups;
    }

    private static void writeGroups(Path file, Map<String, String> groups) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> group : groups.entrySet()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append('[').append(group.getKey()).append("]\n").append(group.getValue());
        }
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }

    /** A QSettings INI string: quoted, with backslash escapes ({@code \n} for newlines). */
    static String iniQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Plain values are written bare when safe, otherwise quoted. */
    static String iniValue(String value) {
        return value.matches("[A-Za-z0-9 ._@+-]*") && !value.startsWith(" ") && !value.endsWith(" ")
                ? value : iniQuoted(value);
    }

    /** The CN of a PEM certificate (kdeconnect device ids are certificate CNs). */
    public static String commonName(String certificatePem) {
        try {
            X509Certificate cert = parse(certificatePem);
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            throw new IllegalArgumentException("certificate has no CN: " + cert.getSubjectX500Principal());
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    private static boolean isEc(String certificatePem) {
        return parse(certificatePem).getPublicKey().getAlgorithm().equals("EC");
    }

    private static X509Certificate parse(String certificatePem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    /** An id in kdeconnectd 22.12's own style: {@code _<uuid with underscores>_}. */
    public static String randomDeviceId() {
        return "_" + UUID.randomUUID().toString().replace('-', '_') + "_";
    }

    /** Certificate and PKCS#8 key files made by {@link #generateIdentity}. */
    public record Identity(String deviceId, Path certificate, Path privateKey) {
        public String certificatePem() {
            try {
                return Files.readString(certificate, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Generates a self-signed RSA-2048 certificate like kdeconnectd 22.12's own ({@code O=KDE, OU=Kde
     * connect, CN=deviceId}, 10 years) with {@code openssl}, into {@code dir}.
     */
    public static Identity generateIdentity(Path dir, String deviceId) {
        return generateIdentity(dir, deviceId, "rsa:2048", "Kde connect");
    }

    /** As {@link #generateIdentity(Path, String)} with an {@code openssl req -newkey} spec ("ec": P-256) and OU. */
    public static Identity generateIdentity(Path dir, String deviceId, String newKey, String organisationalUnit) {
        String openssl = RealComponents.requireOnPath("openssl");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path cert = dir.resolve("certificate.pem").toAbsolutePath();
        Path key = dir.resolve("privateKey.pem").toAbsolutePath();
        List<String> keySpec = newKey.equals("ec")
                ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1") : List.of("-newkey", newKey);
        List<String> command = new ArrayList<>(List.of(openssl, "req", "-x509"));
        command.addAll(keySpec);
        command.addAll(List.of("-nodes", "-sha256",
                "-subj", "/O=KDE/OU=" + organisationalUnit + "/CN=" + deviceId, "-days", "3650",
                "-keyout", key.toString(), "-out", cert.toString()));
        ManagedProcess.run(command, null, Duration.ofSeconds(30)).assertOk("openssl req");
        if (newKey.equals("ec")) {
            // kdeconnectd 25.04 keeps EC keys as SEC1 ("EC PRIVATE KEY"), as it writes them itself
            ManagedProcess.run(List.of(openssl, "ec", "-in", key.toString(), "-out", key.toString()), null,
                    Duration.ofSeconds(30)).assertOk("openssl ec");
        }
        return new Identity(deviceId, cert, key);
    }

    @Override
    public String toString() {
        return version + "@" + namespace + "(" + dir + ")";
    }
}
