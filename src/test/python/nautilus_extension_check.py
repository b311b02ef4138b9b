"""Drives desktop/nautilus/gsbridge-nautilus.py outside Nautilus, for NautilusExtensionTest.

Usage: nautilus_extension_check.py EXTENSION FILE...  (session bus from the environment)
Reads commands on stdin, answers one JSON line each on stdout:
  expect N      wait until the extension sees N sendable devices, then print the menu it builds
                for FILE...: {"items": [{"label": ..., "submenu": [...]}]}
  folder        print the menu for a selection with a folder in it
  activate A/B  activate the item labelled A (then B in its submenu), wait for the reply and
                print {"results": [[status, device, detail], ...]}
"""

import importlib.util
import json
import os
import sys
import time

import gi

gi.require_version("Nautilus", "4.0")
from gi.repository import Gio, GLib  # noqa: E402

DEADLINE_SECONDS = 20


class File:
    """What the extension uses of a Nautilus.FileInfo."""

    def __init__(self, path):
        self.path = path

    def get_uri(self):
        # Escaped, as Nautilus gives it ("second%20photo.jpg").
        return Gio.File.new_for_path(self.path).get_uri()

    def get_uri_scheme(self):
        return "file"

    def is_directory(self):
        return os.path.isdir(self.path)


def spin_until(condition):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        context.iteration(False) or time.sleep(0.01)
    return True


def describe(items):
    described = []
    for item in items:
        entry = {"label": item.props.label}
        submenu = item.props.menu
        if submenu is not None:
            entry["submenu"] = describe(submenu.get_items())
        described.append(entry)
    return described


def main():
    spec = importlib.util.spec_from_file_location("gsbridge_nautilus", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    provider = module.GsbridgeMenuProvider()
    files = [File(path) for path in sys.argv[2:]]
    menus = {}

    def answer(value):
        print(json.dumps(value), flush=True)

    for line in sys.stdin:
        words = line.split(None, 1)
        if not words:
            continue
        if words[0] == "expect":
            wanted = int(words[1])
            if not spin_until(lambda: len(provider.devices()) == wanted):
                answer({"error": "saw %d devices, not %d" % (len(provider.devices()), wanted)})
                continue
            menus["current"] = provider.get_file_items(files)
            answer({"items": describe(menus["current"])})
        elif words[0] == "folder":
            answer({"items": describe(provider.get_file_items(files + [File(os.path.dirname(files[0].path))]))})
        elif words[0] == "activate":
            labels = words[1].strip().split("/")
            items = menus["current"]
            item = None
            for label in labels:
                item = next(i for i in items if i.props.label == label)
                items = item.props.menu.get_items() if item.props.menu is not None else []
            item.activate()
            spin_until(lambda: provider.pending == 0)
            answer({"results": provider.results})


if __name__ == "__main__":
    main()
