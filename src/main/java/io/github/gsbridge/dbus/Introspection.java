package io.github.gsbridge.dbus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The introspection data we serve: the interfaces of the checked-in {@code dbus/*.xml} (packaged
 * as resources) plus the standard ones. dbus-java generates its own from the Java interfaces,
 * but without argument names or documentation, and it describes a struct return such as
 * {@code Describe}'s {@code (bgav)} as three separate out-arguments; the files are the contract.
 */
final class Introspection {
    /** Interfaces every exported object has; dbus-java implements them. */
    private static final String STANDARD = """
              <interface name="org.freedesktop.DBus.Introspectable">
                <method name="Introspect">
                  <arg name="xml_data" type="s" direction="out"/>
                </method>
              </interface>
              <interface name="org.freedesktop.DBus.Peer">
                <method name="Ping"/>
                <method name="GetMachineId">
                  <arg name="machine_uuid" type="s" direction="out"/>
                </method>
              </interface>
              <interface name="org.freedesktop.DBus.Properties">
                <method name="Get">
                  <arg name="interface_name" type="s" direction="in"/>
                  <arg name="property_name" type="s" direction="in"/>
                  <arg name="value" type="v" direction="out"/>
                </method>
                <method name="GetAll">
                  <arg name="interface_name" type="s" direction="in"/>
                  <arg name="properties" type="a{sv}" direction="out"/>
                </method>
                <method name="Set">
                  <arg name="interface_name" type="s" direction="in"/>
                  <arg name="property_name" type="s" direction="in"/>
                  <arg name="value" type="v" direction="in"/>
                </method>
                <signal name="PropertiesChanged">
                  <arg name="interface_name" type="s"/>
                  <arg name="changed_properties" type="a{sv}"/>
                  <arg name="invalidated_properties" type="as"/>
                </signal>
              </interface>
            """;

    private Introspection() {}

    /** The interface elements of {@code dbus/<name>.xml} and the standard interfaces, for inside a node element. */
    static String interfacesOf(String fileName) {
        return interfacesOf(fileName, List.of());
    }

    /** As {@link #interfacesOf(String)}, with the interfaces of the files {@code more} after the file's. */
    static String interfacesOf(String fileName, List<Documented> more) {
        StringBuilder out = new StringBuilder(elements(Introspection.class, fileName));
        for (Documented extra : more) {
            out.append("\n  ").append(elements(extra.anchor(), extra.fileName()).strip());
        }
        return out.append("\n").append(STANDARD).toString();
    }

    /** A checked-in {@code <node>} file, found as a resource beside the class {@code anchor}. */
    record Documented(Class<?> anchor, String fileName) { }

    private static String elements(Class<?> anchor, String fileName) {
        String xml = resource(anchor, fileName);
        int open = xml.indexOf("<node>");
        int close = xml.lastIndexOf("</node>");
        if (open < 0 || close < open) {
            throw new IllegalStateException(fileName + " has no <node> element");
        }
        return xml.substring(open + "<node>".length(), close).stripTrailing();
    }

    private static String resource(Class<?> anchor, String fileName) {
        try (InputStream in = anchor.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalStateException("introspection data " + fileName + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
