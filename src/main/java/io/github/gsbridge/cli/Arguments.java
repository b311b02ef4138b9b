package io.github.gsbridge.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command's arguments: options with a value, flags, and the rest in order. */
final class Arguments {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positional = new ArrayList<>();

    /** A usage mistake; the command prints it with its usage and exits with 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code args}: {@code valueOptions} take the next argument (aliases map to their
     * long name), {@code flagOptions} stand alone; "--" ends the options.
     */
    static Arguments parse(List<String> args, Map<String, String> valueOptions, Set<String> flagOptions)
            throws UsageException {
        Arguments parsed = new Arguments();
        boolean options = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (options && arg.equals("--")) {
                options = false;
            } else if (options && valueOptions.containsKey(arg)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a value");
                }
                parsed.values.put(valueOptions.get(arg), args.get(++i));
            } else if (options && flagOptions.contains(arg)) {
                parsed.flags.add(arg);
            } else if (options && arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException("unknown option " + arg);
            } else {
                parsed.positional.add(arg);
            }
        }
        return parsed;
    }

    Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    String required(String option) throws UsageException {
        return value(option).orElseThrow(() -> new UsageException(option + " is required"));
    }

    boolean flag(String flag) {
        return flags.contains(flag);
    }

    List<String> positional() {
        return positional;
    }
}
