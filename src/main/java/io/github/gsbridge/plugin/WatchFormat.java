package io.github.gsbridge.plugin;

import org.freedesktop.dbus.messages.DBusSignal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** How {@code gsbridge watch} shows a plugin's signals and property changes. */
public interface WatchFormat {
    WatchFormat NONE = new WatchFormat() { };

    /** The plugin's signals, to subscribe to. */
    default List<Class<? extends DBusSignal>> signals() {
        return List.of();
    }

    /** One of {@link #signals()} as watch's JSON fields, "event" first; empty for other signals. */
    default Optional<Map<String, Object>> describe(DBusSignal signal) {
        return Optional.empty();
    }

    /**
     * What an event means to a person, {@code who} being the device's name; empty when the event
     * is not this plugin's or only a script cares about it. Events are the ones {@link #describe}
     * made, and "PropertiesChanged" with its "interface" and the changed properties.
     */
    default Optional<String> sentence(String who, Map<String, Object> event) {
        return Optional.empty();
    }

    /**
     * What {@code gsbridge devices} adds to a device's line, from the properties of its interfaces
     * (e.g. "battery 80 %"); empty when the plugin has nothing to say.
     */
    default Optional<String> summary(Map<String, Map<String, Object>> interfaces) {
        return Optional.empty();
    }

    /**
     * How one signal is shown: its JSON fields (the event is named after the signal's class) and
     * its sentence, made from those fields and the device's name.
     */
    record Line<S extends DBusSignal>(Class<S> type, Function<S, Map<String, Object>> fields,
                                      BiFunction<String, Map<String, Object>, String> sentence) { }

    static <S extends DBusSignal> Line<S> line(Class<S> type, Function<S, Map<String, Object>> fields,
                                               BiFunction<String, Map<String, Object>, String> sentence) {
        return new Line<>(type, fields, sentence);
    }

    /** Fields in the order given: {@code fields("url", url, "title", title)}. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** A format that shows these signals, one line each. */
    static WatchFormat of(List<Line<?>> lines) {
        return new WatchFormat() {
            @Override
            public List<Class<? extends DBusSignal>> signals() {
                return lines.stream().<Class<? extends DBusSignal>>map(Line::type).toList();
            }

            @Override
            public Optional<Map<String, Object>> describe(DBusSignal signal) {
                return lines.stream().filter(line -> line.type().isInstance(signal)).findFirst()
                        .map(line -> describe(line, signal));
            }

            private <S extends DBusSignal> Map<String, Object> describe(Line<S> line, DBusSignal signal) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("event", line.type().getSimpleName());
                event.putAll(line.fields().apply(line.type().cast(signal)));
                return event;
            }

            @Override
            public Optional<String> sentence(String who, Map<String, Object> event) {
                return lines.stream().filter(line -> line.type().getSimpleName().equals(event.get("event")))
                        .findFirst().map(line -> line.sentence().apply(who, event));
            }
        };
    }
}
