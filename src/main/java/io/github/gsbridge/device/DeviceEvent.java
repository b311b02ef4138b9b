package io.github.gsbridge.device;

import io.github.gsbridge.event.Event;

/** Link and pairing changes of a device. */
public sealed interface DeviceEvent extends Event {
    String deviceId();

    /** A paired device became known from the pairing store (at start-up, or added there behind our back). */
    record Known(String deviceId) implements DeviceEvent { }

    record Connected(String deviceId, String name) implements DeviceEvent { }

    record Disconnected(String deviceId) implements DeviceEvent { }

    /** The device asks to pair; the user compares the key with the one the device shows. */
    record PairRequested(String deviceId, String verificationKey) implements DeviceEvent { }

    /** We asked the device to pair; the user compares the key with the one the device shows. */
    record PairRequestSent(String deviceId, String verificationKey) implements DeviceEvent { }

    record Paired(String deviceId) implements DeviceEvent { }

    record Unpaired(String deviceId) implements DeviceEvent { }

    /** A pairing attempt ended without pairing: rejected, timed out, clocks out of sync. */
    record PairingFailed(String deviceId, String reason) implements DeviceEvent { }
}
