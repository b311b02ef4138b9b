"""Nautilus (43+, nautilus-python 4) extension: "Send to DEVICE" in the context menu of files.

Lists the paired, reachable devices of gsbridge (bus name io.github.gsbridge) from its
ObjectManager. The list is kept current by GDBus from the ObjectManager and PropertiesChanged
signals, so building a menu never waits on the bus; sending is one asynchronous ShareFiles call
per selection. Installed by install.sh into ~/.local/share/nautilus-python/extensions/.
"""

import sys

import gi

gi.require_version("Nautilus", "4.0")
from gi.repository import Gio, GLib, GObject, Nautilus  # noqa: E402

BUS_NAME = "io.github.gsbridge"
MANAGER_PATH = "/io/github/gsbridge"
DEVICE_INTERFACE = "io.github.gsbridge.Device1"


class GsbridgeMenuProvider(GObject.GObject, Nautilus.MenuProvider):
    def __init__(self):
        super().__init__()
        self.manager = None
        # Calls sent and not answered yet; results are logged (and kept for tests).
        self.pending = 0
        self.results = []
        # DO_NOT_AUTO_START: opening a folder must not start gsbridge; the client follows the
        # name, so devices show up once gsbridge runs.
        Gio.DBusObjectManagerClient.new_for_bus(
            Gio.BusType.SESSION,
            Gio.DBusObjectManagerClientFlags.DO_NOT_AUTO_START,
            BUS_NAME,
            MANAGER_PATH,
            None,
            None,
            None,
            self._on_manager_ready,
            None,
        )

    def _on_manager_ready(self, _source, result, _data):
        try:
            self.manager = Gio.DBusObjectManagerClient.new_for_bus_finish(result)
        except GLib.Error as error:
            print("gsbridge: cannot follow the devices: %s" % error.message, file=sys.stderr)

    def devices(self):
        """(name, proxy) of every paired and reachable device, by name."""
        if self.manager is None:
            return []
        found = []
        for bus_object in self.manager.get_objects():
            proxy = bus_object.get_interface(DEVICE_INTERFACE)
            if proxy is None:
                continue
            paired = proxy.get_cached_property("Paired")
            reachable = proxy.get_cached_property("Reachable")
            name = proxy.get_cached_property("Name")
            if paired and reachable and name and paired.unpack() and reachable.unpack():
                found.append((name.unpack(), proxy))
        return sorted(found, key=lambda device: device[0].lower())

    def get_file_items(self, files):
        uris = [f.get_uri() for f in files if f.get_uri_scheme() == "file" and not f.is_directory()]
        # KDE Connect sends files only: a folder or a remote location makes the item pointless.
        if not uris or len(uris) != len(files):
            return []
        devices = self.devices()
        if not devices:
            return []
        if len(devices) == 1:
            name, proxy = devices[0]
            return [self._item("GsbridgeMenuProvider::send", "Send to %s" % name, proxy, name, uris)]
        parent = Nautilus.MenuItem(name="GsbridgeMenuProvider::send", label="Send to device")
        submenu = Nautilus.Menu()
        parent.set_submenu(submenu)
        for index, (name, proxy) in enumerate(devices):
            submenu.append_item(self._item("GsbridgeMenuProvider::send-%d" % index, name, proxy, name, uris))
        return [parent]

    def _item(self, item_name, label, proxy, device_name, uris):
        item = Nautilus.MenuItem(name=item_name, label=label)
        item.connect("activate", self._send, proxy, device_name, uris)
        return item

    def _send(self, _item, proxy, device_name, uris):
        self.pending += 1
        proxy.call(
            "ShareFiles",
            GLib.Variant("(asb)", (uris, False)),
            Gio.DBusCallFlags.NONE,
            -1,
            None,
            self._on_sent,
            device_name,
        )

    def _on_sent(self, proxy, result, device_name):
        self.pending -= 1
        try:
            transfer = proxy.call_finish(result).unpack()[0]
            self.results.append(("ok", device_name, transfer))
        except GLib.Error as error:
            message = Gio.DBusError.get_remote_error(error) or ""
            detail = error.message
            # PyGObject hands a copy to strip_remote_error, so the prefix is cut here.
            prefix = "GDBus.Error:%s: " % message
            if message and detail.startswith(prefix):
                detail = detail[len(prefix):]
            print("gsbridge: sending to %s failed: %s %s" % (device_name, message, detail), file=sys.stderr)
            self.results.append(("error", device_name, detail))
            self._notify("Not sent to %s" % device_name, detail)

    def _notify(self, summary, body):
        """A refusal (device gone, file unreadable) is told where the user looks: not in a log.
        Transfers that start are reported by gsbridge itself when they end."""
        self.pending += 1
        Gio.bus_get(Gio.BusType.SESSION, None, self._on_bus_for_notification, (summary, body))

    def _on_bus_for_notification(self, _source, result, text):
        try:
            bus = Gio.bus_get_finish(result)
        except GLib.Error as error:
            self.pending -= 1
            print("gsbridge: cannot tell the desktop: %s" % error.message, file=sys.stderr)
            return
        summary, body = text
        bus.call(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            "Notify",
            GLib.Variant("(susssasa{sv}i)", ("gsbridge", 0, "", summary, body, [], {}, -1)),
            None,
            Gio.DBusCallFlags.NONE,
            -1,
            None,
            self._on_notified,
            None,
        )

    def _on_notified(self, bus, result, _data):
        self.pending -= 1
        try:
            bus.call_finish(result)
        except GLib.Error as error:
            print("gsbridge: no desktop notification: %s" % error.message, file=sys.stderr)
