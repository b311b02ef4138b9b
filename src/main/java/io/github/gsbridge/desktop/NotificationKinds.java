package io.github.gsbridge.desktop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every kind of desktop notification the user can choose among: the desktop's own
 * ({@link NotificationKind#CORE}) and those the plugins declare, in that order.
 */
public final class NotificationKinds {
    /** The word that names every kind in a list. */
    public static final String ALL = "all";

    private final List<NotificationKind> all;

    /** The core kinds and {@code contributed}; two kinds of one label would make the user's choice ambiguous. */
    public NotificationKinds(List<NotificationKind> contributed) {
        List<NotificationKind> kinds = new ArrayList<>(NotificationKind.CORE);
        for (NotificationKind kind : contributed) {
            if (find(kinds, kind.label()).isPresent()) {
                throw new IllegalArgumentException("two kinds of notification are called \"" + kind.label() + "\"");
            }
            kinds.add(kind);
        }
        this.all = List.copyOf(kinds);
    }

    public List<NotificationKind> all() {
        return all;
    }

    /** What is shown when the user switched nothing on or off. */
    public Set<NotificationKind> shownByDefault() {
        return all.stream().filter(NotificationKind::shownByDefault).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Parses a comma-separated list such as {@code sent,ping}; {@link #ALL} names every kind. */
    public Set<NotificationKind> parseList(String text) {
        Set<NotificationKind> kinds = new LinkedHashSet<>();
        for (String item : text.split(",")) {
            String name = item.strip().toLowerCase(Locale.ROOT);
            if (name.equals(ALL)) {
                kinds.addAll(all);
                continue;
            }
            kinds.add(find(all, name).orElseThrow(() -> new IllegalArgumentException("\"" + item.strip()
                    + "\" is no kind of notification; the kinds are " + all.stream().map(NotificationKind::label)
                    .collect(Collectors.joining(", ")) + " (or " + ALL + ")")));
        }
        return kinds;
    }

    /** One line per kind, "label  = help", the labels in one column, then what {@code all} means. */
    public String help(String indent, String allMeans) {
        int width = all.stream().mapToInt(kind -> kind.label().length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (NotificationKind kind : all) {
            text.append(line(indent, width, kind.label(),
                    kind.help() + (kind.shownByDefault() ? "" : " (off unless --notify names it)")));
        }
        return text.append(line(indent, width, ALL, allMeans)).toString();
    }

    private static String line(String indent, int width, String label, String help) {
        return indent + String.format("%-" + Math.max(width, ALL.length()) + "s = %s\n", label, help);
    }

    private static Optional<NotificationKind> find(List<NotificationKind> kinds, String label) {
        return kinds.stream().filter(kind -> kind.label().equals(label)).findFirst();
    }
}
