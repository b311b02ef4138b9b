package io.github.gsbridge.tls;

import io.github.gsbridge.testsupport.RealComponents;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Produces keys and certificates with the real openssl, the way GSConnect's files come to be. */
final class OpenSsl {
    private OpenSsl() {}

    /** Private key files in each PEM form we must read, with the header that proves the form. */
    enum KeyFormat {
        RSA_PKCS8("-----BEGIN PRIVATE KEY-----"),
        RSA_PKCS1("-----BEGIN RSA PRIVATE KEY-----"),
        EC_PKCS8("-----BEGIN PRIVATE KEY-----"),
        EC_SEC1("-----BEGIN EC PRIVATE KEY-----"),
        EC_SEC1_AFTER_PARAMETERS("-----BEGIN EC PARAMETERS-----");

        final String firstLine;

        KeyFormat(String firstLine) {
            this.firstLine = firstLine;
        }

        String algorithm() {
            return name().startsWith("RSA") ? "RSA" : "EC";
        }
    }

    record PemFiles(Path certificate, Path privateKey, String commonName) {}

    static String executable() {
        return RealComponents.requireOnPath("openssl");
    }

    static void writeKey(Path dir, Path key, KeyFormat format) {
        Path scratch = dir.resolve(key.getFileName() + ".scratch");
        switch (format) {
            case RSA_PKCS8 -> run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", key.toString());
            case RSA_PKCS1 -> run(dir, "genrsa", "-traditional", "-out", key.toString(), "2048");
            case EC_PKCS8 -> run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", key.toString());
            case EC_SEC1 -> {
                run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-out", scratch.toString());
                run(dir, "ec", "-in", scratch.toString(), "-out", key.toString());
            }
            case EC_SEC1_AFTER_PARAMETERS -> run(dir, "ecparam", "-name", "prime256v1", "-genkey",
                    "-out", key.toString());
        }
        String firstLine = read(key).lines().findFirst().orElse("");
        assertEquals(format.firstLine, firstLine, "openssl wrote " + format + " in an unexpected form");
    }

    /** A GSConnect-shaped identity: {@code O=andyholmes.github.io, OU=GSConnect, CN=<uuid>}. */
    static PemFiles gsconnectIdentity(Path dir, String name, KeyFormat format) {
        Path key = dir.resolve(name + "-private.pem");
        Path certificate = dir.resolve(name + "-certificate.pem");
        writeKey(dir, key, format);
        String commonName = UUID.randomUUID().toString();
        selfSign(dir, key, certificate, "/O=andyholmes.github.io/OU=GSConnect/CN=" + commonName);
        return new PemFiles(certificate, key, commonName);
    }

    static void selfSign(Path dir, Path key, Path certificate, String subject) {
        run(dir, "req", "-x509", "-new", "-sha256", "-days", "3650", "-key", key.toString(),
                "-subj", subject, "-out", certificate.toString());
    }

    /** Runs openssl to completion and returns stdout and stderr together; fails the test on error. */
    static String run(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String output = drain(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("openssl timed out: " + command);
            }
            assertEquals(0, process.exitValue(), () -> "openssl failed: " + command + "\n" + output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String drain(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Collects a long-running openssl's output in the background so its pipe never fills. */
    static final class Running implements AutoCloseable {
        final Process process;
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;

        Running(Path dir, String... arguments) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(executable());
            command.addAll(List.of(arguments));
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // The process went away; what was read so far is the output.
                }
            }, "openssl-output");
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            return output.toString();
        }

        /** Waits until the output contains {@code text}, failing with the output after a timeout. */
        String awaitOutput(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!output().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive() && !output().contains(text)) {
                    reader.join(1000);
                    assertTrue(output().contains(text), "openssl never printed '" + text + "':\n" + output());
                    break;
                }
                Thread.sleep(20);
            }
            return output();
        }

        void send(String text) throws IOException {
            process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        /** Waits for exit (closing stdin first), then returns everything it printed. */
        String finish() throws InterruptedException, IOException {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(5000);
            return output();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
