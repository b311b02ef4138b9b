package io.github.gsbridge.plugin.battery;

import io.github.gsbridge.wire.Packet;

/**
 * A battery as {@code kdeconnect.battery} describes it.
 *
 * @param charge   percent, 0 to 100, or {@link #UNKNOWN_CHARGE}
 * @param charging whether it is charging
 * @param low      whether it is low: for a device, it said so ({@code thresholdEvent} 1) and has not
 *                 been charging since; for this computer, kdeconnect-kde's rule (see {@link #ofComputer})
 */
public record BatteryState(int charge, boolean charging, boolean low) {
    /** kdeconnect-kde's value for a charge it does not know. */
    public static final int UNKNOWN_CHARGE = -1;
    public static final BatteryState UNKNOWN = new BatteryState(UNKNOWN_CHARGE, false, false);
    /** kdeconnect-kde calls its own battery low at this charge or below, while discharging. */
    static final int LOW_CHARGE = 15;
    /** {@code thresholdEvent}: 0 none, 1 battery low (kdeconnect-kde and -android agree on these). */
    static final int THRESHOLD_LOW = 1;

    public BatteryState {
        if (charge != UNKNOWN_CHARGE && (charge < 0 || charge > 100)) {
            throw new IllegalArgumentException("charge " + charge + " is outside 0-100");
        }
    }

    public boolean known() {
        return charge != UNKNOWN_CHARGE;
    }

    /** In a person's words: "battery 80 %, charging". */
    public String describe() {
        if (!known()) {
            return "battery unknown";
        }
        return "battery " + charge + " %" + (charging ? ", charging" : "") + (low ? ", low" : "");
    }

    /** This computer's battery as UPower reports it, rounded as kdeconnect-kde rounds it (down). */
    static BatteryState ofComputer(double percentage, boolean charging, boolean discharging) {
        int charge = (int) Math.max(0, Math.min(100, Math.floor(percentage)));
        return new BatteryState(charge, charging, discharging && charge <= LOW_CHARGE);
    }

    /**
     * What a device's packet says, given what it said {@code before}. Missing fields take
     * kdeconnect-kde's defaults (charge unknown, not charging, no event); a field of the wrong type
     * is the packet's {@link io.github.gsbridge.wire.PacketFieldException}, and a charge outside
     * 0-100 refuses it too, so no property ever shows a made-up value.
     */
    static BatteryState fromPacket(Packet packet, BatteryState before) throws RefusedReport {
        long charge = packet.wholeNumber("currentCharge").orElse(UNKNOWN_CHARGE);
        if (charge != UNKNOWN_CHARGE && (charge < 0 || charge > 100)) {
            throw new RefusedReport("currentCharge " + charge + " is outside 0-100 (and not -1, unknown)");
        }
        boolean charging = packet.bool("isCharging").orElse(false);
        long threshold = packet.wholeNumber("thresholdEvent").orElse(0);
        // Android says "low" once, in the packet that crosses its threshold; the next one says
        // nothing. The state lasts until the device is plugged in.
        boolean low = !charging && (threshold == THRESHOLD_LOW || before.low());
        return new BatteryState((int) charge, charging, low);
    }

    /** Why a device's battery packet was not taken. */
    static final class RefusedReport extends Exception {
        RefusedReport(String reason) {
            super(reason);
        }
    }
}
