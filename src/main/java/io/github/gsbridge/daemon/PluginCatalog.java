package io.github.gsbridge.daemon;

import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.battery.BatteryModule;
import io.github.gsbridge.plugin.findmyphone.FindMyPhoneModule;
import io.github.gsbridge.plugin.notification.NotificationModule;
import io.github.gsbridge.plugin.ping.PingModule;
import io.github.gsbridge.plugin.share.ShareModule;

import java.util.List;

/** Every capability gsbridge has: adding one is adding its package and a line here. */
public final class PluginCatalog {
    private PluginCatalog() {}

    public static final List<PluginModule> MODULES = List.of(
            new PingModule(),
            new ShareModule(),
            new NotificationModule(),
            new FindMyPhoneModule(),
            new BatteryModule());
}
