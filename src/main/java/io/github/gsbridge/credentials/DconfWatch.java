package io.github.gsbridge.credentials;

import io.github.gsbridge.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows changes under a dconf directory through {@code dconf watch}, which hears dconf-service's
 * change signals on the session bus: edits by GSConnect, gsettings or the user arrive here
 * without polling.
 */
public final class DconfWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DconfWatch.class);

    private final Process process;

    private DconfWatch(Process process) {
        this.process = process;
    }

    /**
     * Starts watching {@code dir}; {@code onChange} receives each changed key (or directory, for a
     * recursive reset), on the watcher's own thread.
     */
    public static DconfWatch start(String executable, Map<String, String> environment, String dir,
                                   Consumer<String> onChange) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(executable, "watch", dir).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Threads.start("dconf-watch", () -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    // dconf watch prints the changed path at column 0, then its value indented.
                    if (line.startsWith("/")) {
                        onChange.accept(line.strip());
                    } else if (!line.isBlank() && !line.startsWith(" ")) {
                        LOG.warn("dconf watch: {}", line);
                    }
                }
            } catch (IOException e) {
                LOG.debug("dconf watch ended: {}", e.getMessage());
            }
        });
        return new DconfWatch(process);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
