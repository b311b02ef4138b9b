package io.github.gsbridge.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

final class TestResources {
    private TestResources() {}

    static String read(String name) {
        try (InputStream in = TestResources.class.getResourceAsStream("/credentials/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource credentials/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
