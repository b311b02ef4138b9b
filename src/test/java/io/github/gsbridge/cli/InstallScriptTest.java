package io.github.gsbridge.cli;

import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.RealComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code install.sh} into an empty home with no systemd user manager: what it installs where,
 * that the installed launcher runs, that a second run changes nothing, and that
 * {@code --uninstall} leaves the home as it found it.
 */
class InstallScriptTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    /**
     * A runnable jar of this build's classes whose manifest points at its dependencies' jars: the
     * shaded jar is only built after the tests. The classes are inside, as in the shaded jar,
     * because class-data sharing archives no classes from directories.
     */
    private Path thinJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        List<String> classPath = new ArrayList<>();
        Path classes = null;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("test-classes")) {
                continue;
            }
            if (Files.isDirectory(Path.of(entry))) {
                classes = Path.of(entry);
            } else {
                classPath.add(Path.of(entry).toUri().toString());
            }
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path jar = dir.resolve("gsbridge.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }

    private ManagedProcess.Result run(Path home, Map<String, String> extraEnv, String... args) {
        List<String> command = new ArrayList<>(List.of(RealComponents.requireOnPath("sh"),
                Path.of("install.sh").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Map<String, String> env = new TreeMap<>(Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin"));
        env.putAll(extraEnv);
        return ManagedProcess.run(command, env, TIMEOUT);
    }

    /**
     * Every file and link under {@code root} with its content (links: their target), and every
     * directory. The class-data archive differs in content from one making to the next.
     */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    tree.put(name, "-> " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path)) {
                    tree.put(name + "/", "");
                } else if (name.endsWith(".jsa")) {
                    tree.put(name, Files.size(path) > 0 ? "an archive" : "empty");
                } else {
                    tree.put(name, Files.size(path) + " bytes, " + (Files.isExecutable(path) ? "x" : "-") + " "
                            + Files.readString(path, java.nio.charset.StandardCharsets.ISO_8859_1).hashCode());
                }
            }
        }
        return tree;
    }

    @Test
    void installsRunsReinstallsAndUninstallsCompletely() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> before = tree(home);
        Path jar = thinJar();

        Map<String, String> withNautilusPython = nautilusPython(true);
        ManagedProcess.Result install = run(home, withNautilusPython, "--jar", jar.toString()).assertOk("install.sh");
        assertTrue(install.stdout().contains("Installed gsbridge " + Gsbridge.Version.version() + ": "), install.toString());
        assertTrue(install.stdout().contains("No systemd user manager here"), install.toString());

        Path launcher = home.resolve(".local/bin/gsbridge");
        for (Path installed : List.of(launcher, home.resolve(".local/share/gsbridge/gsbridge.jar"),
                home.resolve(".local/share/gsbridge/gsbridge.jsa"),
                home.resolve(".config/systemd/user/gsbridge.service"),
                home.resolve(".local/share/dbus-1/services/io.github.gsbridge.service"),
                home.resolve(".local/share/dbus-1/interfaces/io.github.gsbridge.Device1.xml"),
                home.resolve(".local/share/bash-completion/completions/gsbridge"),
                home.resolve(".local/share/nautilus-python/extensions/gsbridge-nautilus.py"),
                home.resolve(".config/autostart/gsbridge.desktop"))) {
            assertTrue(Files.isRegularFile(installed), installed + " is installed:\n" + tree(home).keySet());
        }
        assertTrue(Files.isExecutable(launcher));
        assertTrue(Files.readString(home.resolve(".local/share/bash-completion/completions/gsbridge"))
                .contains("share-text"), "the completion script knows the plugins' commands");
        String dbusService = Files.readString(home.resolve(".local/share/dbus-1/services/io.github.gsbridge.service"));
        assertTrue(dbusService.contains("\nExec=" + launcher + " daemon\n") && dbusService.contains(
                "\nSystemdService=gsbridge.service\n") && dbusService.contains("\nName=io.github.gsbridge\n"), dbusService);
        String unit = Files.readString(home.resolve(".config/systemd/user/gsbridge.service"));
        assertTrue(unit.contains("\nExecStart=" + launcher + " daemon\n") && unit.contains("\nType=dbus\n")
                && unit.contains("\nBusName=io.github.gsbridge\n") && unit.contains("\nRestart=on-failure\n")
                && unit.contains("\nRestartSec=5\n"), unit);
        // Out of memory, the daemon ends and the unit restarts it, whatever GSBRIDGE_JAVA_OPTS says.
        String launcherText = Files.readString(launcher);
        assertTrue(launcherText.matches("(?s).*\nexec \"[^\"]+\" -XX:\\+ExitOnOutOfMemoryError \\$\\{GSBRIDGE_JAVA_OPTS.*"),
                launcherText);
        assertTrue(Files.readString(home.resolve(".config/autostart/gsbridge.desktop"))
                .contains("\nExec=" + launcher + " daemon\n"));

        ManagedProcess.Result help = ManagedProcess.run(List.of(launcher.toString(), "--help"),
                Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin"), TIMEOUT).assertOk("gsbridge --help");
        assertTrue(help.stdout().startsWith("Usage: gsbridge [-hV] [COMMAND]"), help.toString());
        // The classes the daemon loaded while install.sh ran it come from the archive it made.
        ManagedProcess.Result classes = ManagedProcess.run(List.of(launcher.toString(), "--help"),
                Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin", "JDK_JAVA_OPTIONS", "-Xlog:class+load=info"),
                TIMEOUT).assertOk("gsbridge --help, listing loaded classes");
        assertTrue(classes.stdout().contains(" " + Main.class.getName() + " source: shared objects file"),
                "gsbridge's classes come from the class-data archive:\n" + classes.stdout().lines()
                        .filter(l -> l.contains("io.github.gsbridge")).toList());

        Map<String, String> installed = tree(home);
        run(home, withNautilusPython, "--jar", jar.toString()).assertOk("install.sh, second run");
        assertEquals(installed, tree(home), "a second install changes nothing");

        ManagedProcess.Result uninstall = run(home, Map.of(), "--uninstall").assertOk("install.sh --uninstall");
        assertTrue(uninstall.stdout().contains("uninstalled"), uninstall.toString());
        assertEquals(before, tree(home), "nothing is left behind");
    }

    /** install.sh's view of this system: with or without nautilus-python's loader for Nautilus 43+. */
    private Map<String, String> nautilusPython(boolean present) throws IOException {
        Path extensions = Files.createDirectories(dir.resolve(present ? "with" : "without").resolve("extensions-4"));
        if (present) {
            Files.writeString(extensions.resolve("libnautilus-python.so"), "");
        }
        return Map.of("GSBRIDGE_NAUTILUS_EXTENSION_DIRS", extensions.toString());
    }

    @Test
    void nautilusGetsOneSendToEntryNotTwo() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path jar = thinJar();
        Path extension = home.resolve(".local/share/nautilus-python/extensions/gsbridge-nautilus.py");
        Path script = home.resolve(".local/share/nautilus/scripts/Send to phone");

        ManagedProcess.Result without = run(home, nautilusPython(false), "--jar", jar.toString()).assertOk("install.sh");
        assertTrue(Files.isExecutable(script) && !Files.exists(extension), tree(home).keySet().toString());
        assertTrue(without.stdout().contains("install your distribution's nautilus-python"), without.toString());

        run(home, nautilusPython(true), "--jar", jar.toString()).assertOk("install.sh after nautilus-python came");
        assertTrue(Files.isRegularFile(extension) && !Files.exists(script), tree(home).keySet().toString());
        assertFalse(Files.exists(script.getParent()), "no empty Scripts folder is left");
    }

    @Test
    void aJarOlderThanTheSourcesIsRebuilt() throws Exception {
        // A source tree of its own, whose "mvn" notes that it ran and builds the jar.
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.copy(Path.of("install.sh"), tree.resolve("install.sh"));
        for (String folder : List.of("desktop", "dbus")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Path target = tree.resolve(file.toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        }
        Files.writeString(tree.resolve("pom.xml"), "<project/>");
        Path source = Files.createDirectories(tree.resolve("src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path builds = dir.resolve("builds.log");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho build >>" + builds + "\nmkdir -p target && cp " + thinJar()
                + " target/gsbridge.jar\n");
        Files.setPosixFilePermissions(mvn, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> env = Map.of("HOME", home.toString(), "PATH", bin + ":/usr/bin:/bin");
        List<String> install = List.of(RealComponents.requireOnPath("sh"), tree.resolve("install.sh").toString());

        ManagedProcess.run(install, env, TIMEOUT).assertOk("first install");
        assertEquals(1, Files.readAllLines(builds).size(), "a missing jar is built");
        ManagedProcess.run(install, env, TIMEOUT).assertOk("install, sources unchanged");
        assertEquals(1, Files.readAllLines(builds).size(), "an up-to-date jar is installed as it is");

        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        ManagedProcess.Result updated = ManagedProcess.run(install, env, TIMEOUT).assertOk("install after an update");
        assertEquals(2, Files.readAllLines(builds).size(), "a jar older than the sources is rebuilt: " + updated);
        assertTrue(updated.stdout().contains("is older than the sources"), updated.toString());
    }

    @Test
    void anOldJavaIsNamedAndNothingIsInstalled() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path fakeJdk = Files.createDirectories(dir.resolve("jdk11/bin"));
        Path java = Files.writeString(fakeJdk.resolve("java"),
                "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n");
        assertTrue(java.toFile().setExecutable(true));
        ManagedProcess.Result result = run(home, Map.of("JAVA_HOME", dir.resolve("jdk11").toString()),
                "--jar", thinJar().toString());
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("needs Java 17 or newer") && result.stderr().contains("11.0.22"),
                result.toString());
        assertEquals(Map.of("/", ""), tree(home), "nothing was installed");
    }
}
