#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Opening a file from a file manager, through D-Bus activation.

usage: dbus-activation.py APP_ID BUILT_SERVICE BUILT_DESKTOP APP_BINARY FILE

The desktop file says DBusActivatable=true, so a file manager does not run
its Exec line: GIO sends org.freedesktop.Application.Open to the session
bus, which starts the program named in the D-Bus service file with
--gapplication-service.  This test does the same in a private session bus
(dbus-run-session) and a private XDG_DATA_DIRS holding the built desktop and
service files (the service's Exec pointed at the uninstalled binary), opens
FILE with Gio.DesktopAppInfo.launch_uris() as Nautilus does, and then checks
through AT-SPI that a window shows FILE's name, and that the program was
started by the bus (--gapplication-service), not through Exec.

Prints TAP.  Needs a display (meson test --setup=xvfb), dbus-run-session,
at-spi2-core and the Atspi typelib; skips without them.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 30


def tap_skip(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(0)


def outer(app_id, built_service, built_desktop, binary, path):
    if not os.environ.get("DISPLAY"):
        tap_skip("no display (run with meson test --setup=xvfb)")
    if shutil.which("dbus-run-session") is None:
        tap_skip("dbus-run-session is missing")
    try:
        import gi
        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi, Gio  # noqa: F401
    except (ImportError, ValueError) as e:
        tap_skip("no GObject introspection for Atspi and Gio: %s" % e)

    with open(built_service, encoding="utf-8") as f:
        service = f.read()
    with open(built_desktop, encoding="utf-8") as f:
        desktop = f.read()

    print("1..4")
    ok = True

    def check(n, cond, what):
        nonlocal ok
        print(("ok %d %s" if cond else "not ok %d %s") % (n, what))
        ok = ok and cond

    check(1, "\nDBusActivatable=true\n" in desktop, "the desktop file is DBusActivatable")
    lines = dict(line.split("=", 1) for line in service.splitlines()
                 if "=" in line and not line.startswith("#"))
    check(2, lines.get("Name") == app_id and
          lines.get("Exec", "").endswith("/bounce-assistant --gapplication-service"),
          "the service file names %s and runs bounce-assistant --gapplication-service" % app_id)

    with tempfile.TemporaryDirectory(prefix="bounce-dbus-") as tmp:
        share = os.path.join(tmp, "share")
        os.makedirs(os.path.join(share, "dbus-1", "services"))
        os.makedirs(os.path.join(share, "applications"))
        with open(os.path.join(share, "dbus-1", "services", app_id + ".service"), "w",
                  encoding="utf-8") as f:
            f.write(service.replace(lines.get("Exec", ""),
                                    binary + " --gapplication-service"))
        shutil.copy(built_desktop, os.path.join(share, "applications", app_id + ".desktop"))
        for d in ("config", "data", "cache", "state", "run"):
            os.makedirs(os.path.join(tmp, d), mode=0o700)

        env = dict(os.environ)
        # The bus daemon hands its environment to the programs it starts.
        env.update({
            "XDG_DATA_DIRS": share + ":" + env.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share"),
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "XDG_STATE_HOME": os.path.join(tmp, "state"),
            "XDG_RUNTIME_DIR": os.path.join(tmp, "run"),
            "GSETTINGS_BACKEND": "memory",
            # GIO ignores a desktop file whose Exec program is not in PATH.
            "PATH": os.path.dirname(binary) + ":" + env.get("PATH", "/usr/bin:/bin"),
        })
        # The check reads the window through the accessibility bus.
        for name in ("GTK_A11Y", "NO_AT_BRIDGE", "DBUS_SESSION_BUS_ADDRESS"):
            env.pop(name, None)
        result = subprocess.run(
            ["dbus-run-session", "--", sys.executable, os.path.abspath(__file__),
             "--inner", app_id, binary, path],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=TIMEOUT * 3)
        for line in result.stdout.splitlines():
            if "Failed to set fd limit" in line:
                continue  # dbus-daemon, harmless as non-root
            print("# " + line)
        status = dict(line[len("RESULT "):].split("=", 1)
                      for line in result.stdout.splitlines() if line.startswith("RESULT "))
        check(3, status.get("service") == "yes",
              "the bus started bounce-assistant --gapplication-service")
        check(4, status.get("window") == "yes",
              "a window shows %s" % os.path.basename(path))
    sys.exit(0 if ok else 1)


def find_text(node, wanted, depth=0):
    """Whether an accessible below node has wanted in its name or text."""
    from gi.repository import Atspi

    if node is None or depth > 40:
        return False
    try:
        if wanted in (node.get_name() or ""):
            return True
        if ("Text" in (node.get_interfaces() or []) and
                wanted in (Atspi.Text.get_text(node, 0, -1) or "")):
            return True
        for i in range(node.get_child_count()):
            if find_text(node.get_child_at_index(i), wanted, depth + 1):
                return True
    except Exception:  # an accessible may vanish while we walk
        return False
    return False


def service_process(binary):
    """The pid of binary running as a D-Bus service, or None."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == binary.encode() and b"--gapplication-service" in argv:
            return int(pid)
    return None


def inner(app_id, binary, path):
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, Gio, GLib

    info = Gio.DesktopAppInfo.new(app_id + ".desktop")
    if info is None:
        print("RESULT window=no (desktop file not found)")
        return
    # What a file manager does on double-click: GIO sees DBusActivatable
    # and calls org.freedesktop.Application.Open on the session bus.
    info.launch_uris([Gio.File.new_for_path(path).get_uri()], None)

    found = False
    pid = None
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and not found:
        GLib.MainContext.default().iteration(False)
        time.sleep(0.5)
        pid = pid or service_process(binary)
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_name() == "bounce-assistant":
                found = find_text(app, os.path.basename(path))
    print("RESULT service=%s" % ("yes" if pid else "no"))
    print("RESULT window=%s" % ("yes" if found else "no"))

    # Quit through the application's exported actions, as GNOME Shell does.
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    object_path = "/" + app_id.replace(".", "/").replace("-", "_")
    try:
        bus.call_sync(app_id, object_path, "org.gtk.Actions", "Activate",
                      GLib.Variant("(sava{sv})", ("quit", [], {})),
                      None, Gio.DBusCallFlags.NONE, 5000, None)
    except GLib.Error as e:
        print("quit failed: " + e.message)
    deadline = time.monotonic() + 10
    while pid and time.monotonic() < deadline and os.path.exists("/proc/%d" % pid):
        time.sleep(0.2)
    if pid and os.path.exists("/proc/%d" % pid):
        os.kill(pid, 15)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--inner":
        inner(*sys.argv[2:])
    elif len(sys.argv) == 6:
        outer(*sys.argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
