package io.github.gsbridge.event;

/** Something that happened, for the D-Bus API, the CLI's watch and tests. */
public interface Event {
}
