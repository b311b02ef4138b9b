package io.github.gsbridge.event;

/** Something that happened to a device, for the D-Bus API, the CLI's watch and tests. */
public interface Event {
    /** The device the event is about. */
    String deviceId();
}
