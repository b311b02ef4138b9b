package io.github.gsbridge.testsupport;

import java.nio.file.Path;

/**
 * Two hosts of a new {@link NamespacePair}: the peer's in namespace A, and in B the desktop of a
 * user with a GSConnect home, where gsbridge runs. Both are closed with the {@link Stage} they
 * were opened on, after everything the test started later.
 */
public record TwoHosts(NamespacePair ns, GsconnectHome gsconnect) {

    /** Makes the user's GSConnect home in {@code dir}. */
    @FunctionalInterface
    public interface HomeMaker {
        GsconnectHome make(Path dir) throws Exception;
    }

    public static TwoHosts open(Stage<?> stage, HomeMaker home) throws Exception {
        RealComponents.requireRoot();
        RealComponents.requireOnPath("ip");
        NamespacePair ns = stage.track(NamespacePair.create());
        return new TwoHosts(ns, stage.track(home.make(stage.dir().resolve("gsconnect"))));
    }
}
