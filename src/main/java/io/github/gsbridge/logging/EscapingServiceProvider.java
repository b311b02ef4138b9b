package io.github.gsbridge.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;

/**
 * slf4j-simple, configured as always by {@code simplelogger.properties}, with loggers that escape
 * what they print (see {@link EscapingLogger}). The jar leaves slf4j-simple's own provider out;
 * where both are on the class path (tests, a development checkout), {@link #select()} names this one.
 */
public final class EscapingServiceProvider extends SimpleServiceProvider {
    private ILoggerFactory factory;

    /**
     * Makes slf4j use this provider without looking for others; first thing in a {@code main},
     * before any logger exists. A choice made on the command line stays.
     */
    public static void select() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", EscapingServiceProvider.class.getName());
        }
        // Otherwise slf4j says on stderr, at every start, that it used the provider it was told to.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }

    @Override
    public void initialize() {
        super.initialize();
        factory = new SimpleLoggerFactory() {
            @Override
            protected Logger createLogger(String name) {
                return new EscapingLogger(name);
            }
        };
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }
}
