#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What a screen reader gets from the window: runs bounce-assistant with a
# sample bounce on its own session bus (dbus-run-session, which starts the
# accessibility bus), reads its accessibility tree through AT-SPI and checks
# that every control has a real name: not empty, not a class name such as
# "GtkImage", no mnemonic underscore, not the same words twice ("_Browse
# Codes Browse Codes" is what GTK 4.8 makes of a mnemonic button).  It then
# drives the window through AT-SPI actions as a screen reader user would
# (copy the summary, paste it back, clear, open the code browser) and checks
# each state the same way.
#
#   test-a11y.py BOUNCE-ASSISTANT SAMPLE [MBOX]   (TAP output; needs a display)
#
# With MBOX (a file of several bounces) it also opens that, goes to its
# second message from the keyboard and back with "All Messages".

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MARKER = "BOUNCE_A11Y_SESSION"

if len(sys.argv) not in (3, 4):
    print("usage: test-a11y.py BOUNCE-ASSISTANT SAMPLE [MBOX]", file=sys.stderr)
    sys.exit(2)

if not os.environ.get("DISPLAY"):
    print("1..0 # SKIP no display")
    sys.exit(0)

# A private session bus: the accessibility bus and registry are started on
# it by D-Bus activation (at-spi2-core).
if not os.environ.get(MARKER):
    for tool in ("dbus-run-session", "xdotool"):
        if shutil.which(tool) is None:
            print("1..0 # SKIP %s is missing" % tool)
            sys.exit(0)
    # The TAP output keeps the original standard output; everything else,
    # the bus daemons' chatter included, goes to standard error.
    tap = os.dup(1)
    os.set_inheritable(tap, True)
    os.dup2(2, 1)
    env = dict(os.environ, **{MARKER: str(tap)})
    os.execvpe("dbus-run-session", ["dbus-run-session", "--", sys.executable] + sys.argv, env)

TAP = os.fdopen(int(os.environ[MARKER]), "w")

# Xvfb resets when its last client goes, and a client that connects in the
# middle of a reset fails ("cannot open display"): the accessibility bus
# launcher connects and leaves just as the application starts.  A client
# that stays connected for the whole test prevents that.
KEEPER = subprocess.Popen(["xdotool", "sleep", "3600"])
time.sleep(0.3)

try:
    import gi

    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, GLib
except (ImportError, ValueError) as e:
    print("1..0 # SKIP AT-SPI bindings are missing: %s" % e, file=TAP)
    sys.exit(0)

APP, SAMPLE = sys.argv[1], sys.argv[2]
MBOX = sys.argv[3] if len(sys.argv) > 3 else None

CONTROL_ROLES = {
    Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
    Atspi.Role.RADIO_BUTTON, Atspi.Role.LINK, Atspi.Role.ENTRY, Atspi.Role.TEXT,
    Atspi.Role.PASSWORD_TEXT, Atspi.Role.COMBO_BOX, Atspi.Role.SPIN_BUTTON,
    Atspi.Role.SLIDER, Atspi.Role.MENU_ITEM, Atspi.Role.CHECK_MENU_ITEM,
    Atspi.Role.RADIO_MENU_ITEM, Atspi.Role.PAGE_TAB, Atspi.Role.LIST,
}

results = []


def report(ok, name, lines=()):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name), file=TAP)
    for line in lines:
        print("# " + line, file=TAP)
    TAP.flush()


def states(node):
    try:
        node.clear_cache()
        return node.get_state_set()
    except Exception:
        return None


def ancestors(node):
    out = []
    while node is not None:
        out.append(node)
        try:
            node = node.get_parent()
        except Exception:
            break
    return out


def walk(node, out, current):
    try:
        count = node.get_child_count()
        role, name = node.get_role(), node.get_name()
    except Exception:
        return
    # GTK 4.8 sets no "showing" state below the window, and the pages of a
    # GtkStack that are not shown stay in the tree: only the page that holds
    # the current content counts.
    if role == Atspi.Role.PANEL and name == "GtkStackPage" and current is not None \
            and node not in ancestors(current):
        return
    out.append(node)
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            child = None
        if child is not None:
            walk(child, out, current)


def nodes_of(root, current=None):
    out = []
    walk(root, out, current)
    return out


def showing(node):
    """On screen, as far as GTK 4.8 tells: visible, and with a size (an
    unrevealed search bar's entry has none)."""
    s = states(node)
    if s is None or not s.contains(Atspi.StateType.VISIBLE):
        return False
    try:
        extents = node.get_extents(Atspi.CoordType.WINDOW)
    except Exception:
        return True
    return extents.width > 0 and extents.height > 0


def is_control(node):
    role = node.get_role()
    s = states(node)
    focusable = s is not None and s.contains(Atspi.StateType.FOCUSABLE)
    if role == Atspi.Role.LIST_ITEM or role == Atspi.Role.PANEL:
        # Rows and groups that take the focus are read by their names.
        return focusable
    return role in CONTROL_ROLES


def name_problem(name):
    name = (name or "").strip()
    if not name:
        return "no name"
    if re.match(r"^(Gtk|Adw|Bounce)[A-Z]", name):
        return "a class name"
    if re.search(r"(^|\s)_\w", name):
        return "a mnemonic underscore"
    words = name.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]:
        return "the same words twice"
    return None


def check_names(root, current, title, expected=()):
    problems = []
    names = set()
    checked = 0
    for node in nodes_of(root, current):
        if not is_control(node) or not showing(node):
            continue
        checked += 1
        name = node.get_name()
        names.add(name)
        problem = name_problem(name)
        if problem:
            problems.append("%s %r: %s" % (node.get_role_name(), name, problem))
    missing = [n for n in expected if n not in names]
    if len(problems) > 12:
        problems = problems[:12] + ["... and %d more" % (len(problems) - 12)]
    lines = ["%d controls checked" % checked] + problems
    lines += ["no control named %r" % n for n in missing]
    report(checked > 0 and not problems and not missing, title, lines)


def find(root, role=None, name=None, pred=None):
    for node in nodes_of(root):
        try:
            if role is not None and node.get_role() != role:
                continue
            if name is not None and node.get_name() != name:
                continue
            if pred is not None and not pred(node):
                continue
            return node
        except Exception:
            continue
    return None


def pump(seconds):
    """Lets libatspi handle the bus's signals (its caches follow them)."""
    end = time.monotonic() + seconds
    context = GLib.MainContext.default()
    while time.monotonic() < end:
        while context.iteration(False):
            pass
        time.sleep(0.05)


def wait_for(fn, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = fn()
        if value:
            return value
        pump(0.2)
    return None


def click(node):
    """Activates a control through its AT-SPI action, as Orca does."""
    if node is None or Atspi.Action.get_n_actions(node) == 0:
        return False
    return Atspi.Action.do_action(node, 0)


def press(keys):
    """Keys as from the keyboard (XTest, through xdotool)."""
    subprocess.run(["xdotool", "key", "--clearmodifiers", keys], check=False)
    pump(0.3)


def application():
    desktop = Atspi.get_desktop(0)
    desktop.clear_cache()
    for i in range(desktop.get_child_count()):
        child = desktop.get_child_at_index(i)
        if child is not None and child.get_name() == "bounce-assistant":
            return child
    return None


def frame(app, title):
    for i in range(app.get_child_count()):
        child = app.get_child_at_index(i)
        if child is not None and child.get_name() == title:
            return child
    return None


def mbox_messages(env):
    """A file of several bounces: Enter on message 2 shows its own result
    under a bar whose "All Messages" leads back."""
    app = wait_for(application)
    win = app and wait_for(lambda: frame(app, "Bounce Assistant"))
    messages = win and wait_for(lambda: find(win, Atspi.Role.LIST, "Messages in this file"))
    rows = []
    if messages is not None:
        rows = [n for n in nodes_of(messages) if n.get_role() == Atspi.Role.LIST_ITEM]
    if len(rows) < 2:
        report(False, "mbox: the list of messages is read (%d rows)" % len(rows))
        report(False, "mbox: back to all messages")
        report(False, "mbox, the whole file: every control has a name")
        return
    # After opening, the keyboard is at the verdict: Tab goes on to the
    # list, Down to message 2, Enter shows it.
    pump(1.0)
    press("Tab")
    press("Down")
    press("Return")
    back = wait_for(lambda: find(win, Atspi.Role.PUSH_BUTTON, "All Messages", showing), 10)
    # The message's recipients in rows of their own, in place of the
    # table of the file's recipients (and its filter).
    check_names(win, messages, "mbox, message 2 shown: every control has a name",
                ["All Messages", "Messages in this file", "Show in Message"])
    click(back)
    gone = wait_for(lambda: find(win, Atspi.Role.PUSH_BUTTON, "All Messages", showing) is None, 10)
    report(bool(back) and bool(gone), "mbox: All Messages is named and leads back")
    check_names(win, messages, "mbox, the whole file: every control has a name",
                ["Messages in this file", "Filter recipients"])


def main():
    tmp = tempfile.mkdtemp(prefix="bounce-a11y-")
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)
    env.update(
        GSETTINGS_BACKEND="memory",
        GDK_BACKEND="x11",
        GSK_RENDERER="cairo",
        ADW_DISABLE_PORTAL="1",
        LANGUAGE="C",
        LC_ALL="C.UTF-8",
        XDG_STATE_HOME=os.path.join(tmp, "state"),
        XDG_CONFIG_HOME=os.path.join(tmp, "config"),
    )
    print("1..%d" % (8 if MBOX else 5), file=TAP)
    log = open(os.path.join(tmp, "app.log"), "w+")
    proc = subprocess.Popen([APP, SAMPLE], env=env, stderr=log)
    try:
        app = wait_for(lambda: proc.poll() is not None or application())
        if app is True or app is None:
            log.seek(0)
            report(False, "the application shows up on the accessibility bus (exit status %s)"
                   % proc.poll(), log.read().splitlines()[-5:])
            return
        win = wait_for(lambda: frame(app, "Bounce Assistant"))
        codes = wait_for(lambda: win and find(win, Atspi.Role.LIST, "Codes in the message"))
        if codes is None:
            report(False, "the explanation of the sample is shown")
            return

        check_names(win, codes, "explanation: every control has a name",
                    ["Open a Message File", "Paste a Bounce", "Clear and Start Over",
                     "Copy Summary for a Ticket", "Browse Codes", "Main Menu",
                     "Show in Message"])

        # The summary goes to the clipboard; pasted back it replaces the
        # message, and the toast offers Undo.
        click(find(win, Atspi.Role.PUSH_BUTTON, "Copy Summary for a Ticket"))
        pump(0.5)
        click(find(win, Atspi.Role.PUSH_BUTTON, "Paste a Bounce"))
        wait_for(lambda: find(win, Atspi.Role.PUSH_BUTTON, pred=lambda n: showing(n)
                              and "Undo" in (n.get_name() or "")), 10)
        page = wait_for(lambda: find(win, Atspi.Role.PANEL, "No Delivery Problem Found"), 10)
        check_names(win, page, "after a paste, with the Undo toast: every control has a name",
                    ["Undo"])

        click(find(win, Atspi.Role.PUSH_BUTTON, "Clear and Start Over"))
        wait_for(lambda: find(win, Atspi.Role.PUSH_BUTTON, "Open File…", showing), 10)
        welcome = find(win, Atspi.Role.PANEL, "No Message Yet")
        check_names(win, welcome, "empty window: every control has a name",
                    ["Paste", "Open File…", "Browse Codes", "Paste a Bounce"])

        press("ctrl+comma")  # opens the preferences
        prefs = wait_for(lambda: frame(app, "Preferences"), 10)
        if prefs is None:
            report(False, "preferences: open with Ctrl+,")
        else:
            check_names(prefs, None, "preferences: every control has a name")
            press("Escape")  # closes them
            wait_for(lambda: frame(app, "Preferences") is None, 10)

        click(find(welcome, Atspi.Role.PUSH_BUTTON, "Browse Codes"))
        catalogue = wait_for(lambda: frame(app, "Codes and Explanations"), 10)
        if catalogue is None:
            report(False, "code browser: opens")
        else:
            # Its search has the focus: a search keeps the list short.
            pump(0.5)
            subprocess.run(["xdotool", "type", "--delay", "20", "mailbox full"], check=False)
            pump(1.0)
            entries = wait_for(lambda: find(catalogue, Atspi.Role.LIST, "Catalogue entries"), 10)
            check_names(catalogue, entries, "code browser: every control has a name",
                        ["Search codes and explanations", "Catalogue entries"])
        if MBOX:
            proc.terminate()
            proc.wait(10)
            wait_for(lambda: application() is None, 10)
            proc = subprocess.Popen([APP, MBOX], env=env, stderr=log)
            mbox_messages(env)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.seek(0)
        sys.stderr.write(log.read())
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


try:
    main()
finally:
    KEEPER.terminate()
    KEEPER.wait()
sys.exit(0 if results and all(results) else 1)
