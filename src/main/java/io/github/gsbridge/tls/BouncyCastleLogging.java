package io.github.gsbridge.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Routes BouncyCastle's java.util.logging output into slf4j, one level lower than BC uses.
 *
 * <p>BCJSSE logs every connection, accept and disconnect at INFO, every alert a peer causes
 * (with a stack trace) at INFO, and at each context creation WARNINGs about Debian's
 * {@code jdk.certpath.disabledAlgorithms} entries it does not understand. Left alone, JUL's console
 * handler prints all of that to stderr during normal operation.
 */
final class BouncyCastleLogging {
    private static final String ROOT = "org.bouncycastle";

    /** Held strongly: JUL keeps loggers only weakly, and a collected logger forgets its handler. */
    private static final java.util.logging.Logger JUL_ROOT = java.util.logging.Logger.getLogger(ROOT);

    private static boolean installed;

    private BouncyCastleLogging() {}

    static synchronized void install() {
        if (installed) {
            return;
        }
        Logger slf4jRoot = LoggerFactory.getLogger(ROOT);
        // JUL drops records below the logger's level before any handler sees them; ask only for
        // what slf4j would print after the shift down.
        JUL_ROOT.setLevel(slf4jRoot.isTraceEnabled() ? Level.ALL
                : slf4jRoot.isDebugEnabled() ? Level.INFO
                : slf4jRoot.isInfoEnabled() ? Level.WARNING
                : Level.SEVERE);
        JUL_ROOT.setUseParentHandlers(false);
        JUL_ROOT.addHandler(new Slf4jHandler());
        installed = true;
    }

    private static final class Slf4jHandler extends Handler {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? ROOT : record.getLoggerName());
            int level = record.getLevel().intValue();
            String message = formatter.formatMessage(record);
            Throwable thrown = record.getThrown();
            if (level >= Level.SEVERE.intValue()) {
                logger.warn(withoutTrace(message, thrown));
            } else if (level >= Level.WARNING.intValue()) {
                logger.info(withoutTrace(message, thrown));
            } else if (level >= Level.INFO.intValue()) {
                // The peer's misbehaviour is worth a stack trace only to someone debugging.
                logger.debug(message, thrown);
            } else {
                logger.trace(message, thrown);
            }
        }

        private static String withoutTrace(String message, Throwable thrown) {
            return thrown == null ? message : message + " (" + thrown + ")";
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
