package io.github.gsbridge.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NormalizedParameters;
import org.slf4j.simple.SimpleLogger;

import java.io.PrintStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * slf4j-simple's logger, writing every message and every exception text through
 * {@link LogText#escape}: one place for all of gsbridge's and its libraries' log lines, so no
 * call site that logs a peer's words can forget it.
 */
final class EscapingLogger extends SimpleLogger {
    EscapingLogger(String name) {
        super(name);
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        // Formatted here, so the escaped text is final: with no arguments it is printed as it is.
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        super.handleNormalizedLoggingCall(level, marker, message == null ? null : LogText.escape(message), null,
                throwable);
    }

    /** The fluent API's way in; slf4j-simple would otherwise format it without passing the method above. */
    @Override
    public void log(LoggingEvent event) {
        if (!isLevelEnabled(event.getLevel().toInt())) {
            return;
        }
        NormalizedParameters normalized = NormalizedParameters.normalize(event);
        List<Marker> markers = event.getMarkers();
        handleNormalizedLoggingCall(event.getLevel(), markers == null || markers.isEmpty() ? null : markers.get(0),
                normalized.getMessage(), normalized.getArguments(),
                event.getThrowable() != null ? event.getThrowable() : normalized.getThrowable());
    }

    @Override
    protected void writeThrowable(Throwable throwable, PrintStream out) {
        super.writeThrowable(throwable == null ? null : Escaped.of(throwable, new IdentityHashMap<>()), out);
    }

    /**
     * A stand-in that prints as {@code original} does (same frames, causes and suppressed
     * exceptions) but with its text escaped; exception messages quote peers too.
     */
    private static final class Escaped extends Throwable {
        private final String text;

        private Escaped(String text, Escaped cause) {
            super(null, cause, true, true);
            this.text = text;
        }

        /** The copy of {@code original}; null for one whose copy is still being made (a cycle of causes). */
        static Escaped of(Throwable original, Map<Throwable, Escaped> done) {
            if (done.containsKey(original)) {
                return done.get(original);
            }
            done.put(original, null);
            Escaped cause = original.getCause() == null ? null : of(original.getCause(), done);
            Escaped copy = new Escaped(LogText.escape(String.valueOf(original)), cause);
            done.put(original, copy);
            copy.setStackTrace(original.getStackTrace());
            for (Throwable suppressed : original.getSuppressed()) {
                Escaped escaped = of(suppressed, done);
                if (escaped != null) {
                    copy.addSuppressed(escaped);
                }
            }
            return copy;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
