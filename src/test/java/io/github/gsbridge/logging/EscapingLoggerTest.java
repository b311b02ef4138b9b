package io.github.gsbridge.logging;

import io.github.gsbridge.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EscapingLoggerTest {
    private static final String HOSTILE = "id\n12:00:00.000 [WARN] Daemon - forged\r\u001b[2J\u0007\u202E";

    @Test
    void escapesWhatEndsALineOrDrivesATerminal() {
        assertEquals("id\\n12:00:00.000 [WARN] Daemon - forged\\r\\u001b[2J\\u0007\\u202e", LogText.escape(HOSTILE));
        assertEquals("tab\\t, NEL \\u0085, LS \\u2028, PS \\u2029, DEL \\u007f, CSI \\u009b",
                LogText.escape("tab\t, NEL \u0085, LS \u2028, PS \u2029, DEL \u007F, CSI \u009B"));
        assertEquals("zero\\u200bwidth \\u200d \\ufeff", LogText.escape("zero\u200Bwidth \u200D \uFEFF"));
        assertEquals("lone \\ud800 and \\udc00", LogText.escape("lone \uD800 and \uDC00"));
        // An invisible tag character outside the BMP, as a pair of escapes.
        assertEquals("tag \\udb40\\udc41", LogText.escape("tag \uDB40\uDC41"));
    }

    @Test
    void aCycleOfCausesIsPrintedOnce() {
        Exception first = new Exception("first\n");
        Exception second = new Exception("second\n");
        first.initCause(second);
        second.initCause(first);
        try (LogCapture capture = LogCapture.start()) {
            LoggerFactory.getLogger(EscapingLoggerTest.class).warn("cycle", first);
            assertEquals(1, capture.matching("java.lang.Exception: first\\n").size());
            assertEquals(1, capture.matching("Caused by: java.lang.Exception: second\\n").size());
        }
    }

    @Test
    void leavesOrdinaryTextAsItIs() {
        String text = "Anaïs 😀 مرحبا C:\\path\\to \"quoted\" {} 100%";
        assertEquals(text, LogText.escape(text));
    }

    @Test
    void everyLoggerInThisJvmEscapesMessagesArgumentsAndExceptions() {
        Logger log = LoggerFactory.getLogger(EscapingLoggerTest.class);
        IOException cause = new IOException("cause " + HOSTILE);
        IllegalStateException thrown = new IllegalStateException("thrown " + HOSTILE, cause);
        thrown.addSuppressed(new RuntimeException("suppressed " + HOSTILE));
        try (LogCapture capture = LogCapture.start()) {
            log.warn("argument {} and {}", HOSTILE, 7);
            log.warn("pattern " + HOSTILE);
            log.atWarn().setMessage("fluent {}").addArgument(HOSTILE).log();
            log.warn("with a trace {}", "x", thrown);
            List<String> forged = capture.matching("forged");
            assertEquals(6, forged.size(), "one line each, and one per exception: " + forged);
            assertTrue(capture.matching("12:00:00.000").stream().allMatch(l -> l.contains("id\\n12:00:00.000")));
            for (String line : forged) {
                assertTrue(line.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7F || c == 0x202E), line);
            }
            assertEquals(1, capture.matching("argument id\\n", "and 7").size());
            assertEquals(1, capture.matching("IllegalStateException: thrown id\\n").size());
            assertEquals(1, capture.matching("Caused by: java.io.IOException: cause id\\n").size());
            assertEquals(1, capture.matching("Suppressed: java.lang.RuntimeException: suppressed id\\n").size());
            assertTrue(capture.matching("\tat io.github.gsbridge.logging.EscapingLoggerTest").size() >= 1,
                    "stack frames stay as they are");
        }
    }
}
