package io.github.gsbridge.testsupport;

import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a test with real processes stands on (namespaces, homes, peers, gsbridge), as a JUnit
 * extension: a directory of its own, kept when a test fails so its logs can be read, and the
 * things started in it, closed in reverse order however the test ends.
 *
 * <p>{@link #eachTest} makes the stage again for every test (register it on an instance field, so
 * the opening may read the test's {@code @Parameter} fields); {@link #eachVersion} makes it once for
 * every invocation of a {@code @ParameterizedClass}, for suites whose peers are slow to start
 * (register it on a static field).
 *
 * @param <T> what the opening makes of the stage, for the tests to use
 */
public final class Stage<T> implements BeforeEachCallback, AfterEachCallback, BeforeClassTemplateInvocationCallback,
        AfterClassTemplateInvocationCallback {

    /** Makes what the tests use, in the stage's directory; it tracks what must be closed. */
    @FunctionalInterface
    public interface Opening<T> {
        T open(Stage<T> stage) throws Exception;
    }

    private final boolean perTest;
    private final Opening<T> opening;
    private final List<AutoCloseable> running = new ArrayList<>();
    private Path dir;
    private T value;
    private boolean failed;

    private Stage(boolean perTest, Opening<T> opening) {
        this.perTest = perTest;
        this.opening = opening;
    }

    public static <T> Stage<T> eachTest(Opening<T> opening) {
        return new Stage<>(true, opening);
    }

    /** A stage for every test where the test itself starts and tracks what it needs. */
    public static Stage<Void> eachTest() {
        return eachTest(stage -> null);
    }

    /** One stage for all tests of an invocation of a {@code @ParameterizedClass}. */
    public static Stage<Void> eachVersion() {
        return new Stage<>(false, stage -> null);
    }

    /** What the opening made. */
    public T get() {
        requireOpen();
        return value;
    }

    public Path dir() {
        requireOpen();
        return dir;
    }

    /** Closes {@code resource} with the stage, before whatever was tracked earlier. */
    public <R extends AutoCloseable> R track(R resource) {
        requireOpen();
        running.add(resource);
        return resource;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (perTest) {
            open(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        failed |= context.getExecutionException().isPresent();
        if (perTest) {
            close();
        }
    }

    @Override
    public void beforeClassTemplateInvocation(ExtensionContext context) throws Exception {
        if (!perTest) {
            open(context);
        }
    }

    @Override
    public void afterClassTemplateInvocation(ExtensionContext context) throws Exception {
        if (!perTest) {
            failed |= context.getExecutionException().isPresent();
            close();
        }
    }

    private void open(ExtensionContext context) throws Exception {
        failed = false;
        dir = Files.createTempDirectory(context.getRequiredTestClass().getSimpleName() + "-");
        value = opening.open(this);
    }

    private void close() throws Exception {
        // Everything is closed even when something refuses: a namespace left behind spoils the next test.
        Exception first = null;
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        running.clear();
        value = null;
        if (first == null && !failed && dir != null) {
            deleteTree(dir);
        }
        dir = null;
        if (first != null) {
            throw first;
        }
    }

    private void requireOpen() {
        if (dir == null) {
            throw new IllegalStateException("the stage is only there while a test runs: register it with"
                    + " @RegisterExtension (static for eachVersion)");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
