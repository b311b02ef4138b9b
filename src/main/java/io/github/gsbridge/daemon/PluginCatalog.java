package io.github.gsbridge.daemon;

import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.battery.BatteryModule;
import io.github.gsbridge.plugin.clipboard.ClipboardModule;
import io.github.gsbridge.plugin.findmyphone.FindMyPhoneModule;
import io.github.gsbridge.plugin.notification.NotificationModule;
import io.github.gsbridge.plugin.ping.PingModule;
import io.github.gsbridge.plugin.runcommand.RunCommandModule;
import io.github.gsbridge.plugin.share.ShareModule;

import java.util.List;

/**
 * Every capability gsbridge has: adding one is adding its package and a line here. The order is
 * the order of GSConnect's device actions and of the commands in {@code gsbridge --help}.
 */
public final class PluginCatalog {
    private PluginCatalog() {}

    public static final List<PluginModule> MODULES = List.of(
            new ShareModule(),
            new NotificationModule(),
            new PingModule(),
            new FindMyPhoneModule(),
            new ClipboardModule(),
            new RunCommandModule(),
            new BatteryModule());
}
