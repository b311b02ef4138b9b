package io.github.gsbridge.credentials;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code dconf} command-line tool.
 *
 * <p>{@code dump} and {@code read} only read {@code $XDG_CONFIG_HOME/dconf/user}; {@code load},
 * {@code write} and {@code reset} go through dconf-service on the session bus
 * ({@code DBUS_SESSION_BUS_ADDRESS}). That service is D-Bus activated and so writes to the files
 * named by the <em>bus daemon's</em> environment, not by the environment given here.
 *
 * <p>Every command is limited to {@link #TIMEOUT}; failures are reported as {@link DconfException}
 * naming the command, its key or dir, and what dconf printed on stderr.
 */
public final class Dconf {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Dconf.class);

    private final String executable;
    private final Map<String, String> environment;

    /**
     * @param executable a path, or a name looked up on this process's PATH
     * @param environment entries added to, or replacing, the inherited environment of each command
     */
    public Dconf(String executable, Map<String, String> environment) {
        this.executable = executable;
        this.environment = Map.copyOf(environment);
    }

    /** The {@code dconf} on PATH, with this process's environment. */
    public static Dconf system() {
        return new Dconf("dconf", Map.of());
    }

    /** Keys under {@code dir} (which must end in '/') in keyfile form; empty text when there are none. */
    public String dump(String dir) throws DconfException {
        return run("dump", requireDir(dir), List.of(dir), null);
    }

    /** Writes the keys in {@code keyfileText} (dump format) below {@code dir}; other keys are kept. */
    public void load(String dir, String keyfileText) throws DconfException {
        run("load", requireDir(dir), List.of(dir), keyfileText);
    }

    /** Sets {@code key} to a value in GVariant text, such as {@link GVariantText#formatString} returns. */
    public void write(String key, String gvariantText) throws DconfException {
        run("write", requireKey(key), List.of(key, gvariantText), null);
    }

    /** Resets a key, or everything below a dir when {@code keyOrDir} ends in '/'. */
    public void reset(String keyOrDir) throws DconfException {
        requireAbsolute(keyOrDir);
        run("reset", keyOrDir, keyOrDir.endsWith("/") ? List.of("-f", keyOrDir) : List.of(keyOrDir), null);
    }

    /** The value of {@code key} in GVariant text, or empty if it is not set. */
    public Optional<String> read(String key) throws DconfException {
        String value = run("read", requireKey(key), List.of(key), null).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static String requireAbsolute(String path) {
        // Also keeps a path from being taken for an option such as "-f".
        if (!path.startsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("not a dconf path: '" + path + "'");
        }
        return path;
    }

    private static String requireDir(String dir) {
        if (!requireAbsolute(dir).endsWith("/")) {
            throw new IllegalArgumentException("not a dconf dir (must end in '/'): '" + dir + "'");
        }
        return dir;
    }

    private static String requireKey(String key) {
        if (requireAbsolute(key).endsWith("/")) {
            throw new IllegalArgumentException("not a dconf key (must not end in '/'): '" + key + "'");
        }
        return key;
    }

    private String run(String verb, String target, List<String> arguments, String stdin) throws DconfException {
        String description = "dconf " + verb + " " + target;
        List<String> command = new ArrayList<>();
        command.add(locate());
        command.add(verb);
        command.addAll(arguments);
        requireUtf8Arguments(command, description);
        Path input = null;
        Path output = null;
        Path errors = null;
        try {
            output = Files.createTempFile("gsbridge-dconf", ".out");
            errors = Files.createTempFile("gsbridge-dconf", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            builder.environment().putAll(environment);
            if (stdin != null) {
                input = Files.createTempFile("gsbridge-dconf", ".in");
                Files.writeString(input, stdin, StandardCharsets.UTF_8);
                builder.redirectInput(input.toFile());
            } else {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            LOG.debug("running {}", description);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DconfException(description + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new DconfException(description + " failed with exit status " + process.exitValue() + ": "
                        + firstParagraph(Files.readString(errors, StandardCharsets.UTF_8)));
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DconfException(description + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DconfException(description + " was interrupted", e);
        } finally {
            deleteQuietly(input);
            deleteQuietly(output);
            deleteQuietly(errors);
        }
    }

    // dconf follows an error with its usage text, which says nothing about what went wrong.
    private static String firstParagraph(String stderr) {
        String text = stderr.strip();
        int end = text.indexOf("\n\n");
        return end < 0 ? text : text.substring(0, end);
    }

    private String locate() throws DconfException {
        if (executable.contains("/")) {
            if (Files.isExecutable(Path.of(executable))) {
                return executable;
            }
        } else {
            String path = System.getenv().getOrDefault("PATH", "");
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
                    return Path.of(dir, executable).toString();
                }
            }
        }
        throw new DconfException("dconf not found: install dconf-cli (no executable '" + executable + "'"
                + (executable.contains("/") ? "" : " on PATH") + ")");
    }

    // Java 17 encodes process arguments in the default charset and later versions in sun.jnu.encoding;
    // under a non-UTF-8 locale either would silently turn non-ASCII text into '?'.
    private static void requireUtf8Arguments(List<String> command, String description) throws DconfException {
        boolean ascii = command.stream().allMatch(arg -> arg.chars().allMatch(c -> c < 0x80));
        if (ascii) {
            return;
        }
        String jnu = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
        boolean utf8 = Charset.defaultCharset().equals(StandardCharsets.UTF_8)
                && Charset.isSupported(jnu) && Charset.forName(jnu).equals(StandardCharsets.UTF_8);
        if (!utf8) {
            throw new DconfException(description + ": cannot pass non-ASCII text as an argument because this JVM"
                    + " encodes arguments as " + Charset.defaultCharset() + "/" + jnu
                    + "; run it under a UTF-8 locale");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete temporary file {}: {}", file, e.getMessage());
        }
    }
}
