"""A new user's first minutes with the real app, by real X input: screenshots to look at.

    xvfb-run -a -s "-screen 0 1400x900x24" sh -c 'openbox & python tools/try_as_new_user.py OUT_DIR [APP]'

Starts `main.py` (or APP, such as the built bundle's dist/NeuralStyleStudio/NeuralStyleStudio)
with an empty home folder (no preferences, no cache: what a new user has),
then, through xdotool (real key presses, delivered by the X server to the focused window):
Run (Ctrl+R), the export dialog (Ctrl+E), File > New (Ctrl+N) and Quit (Ctrl+Q), both of
which must ask "Save changes?" before anything is discarded. Each step leaves a PNG in
OUT_DIR; open them and look. Needs the Debian packages xvfb, openbox and xdotool: a window
manager is what gives the window the keyboard focus, as on a desktop.

This is a tool for looking, not a test: it waits fixed times (a run, a dialog) instead of
asking the app, because it drives the app only from the outside, as a user does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import ImageGrab

ROOT = Path(__file__).resolve().parents[1]
STEPS = (  # (key, screenshot name, seconds to wait before it, Escape afterwards)
    ("ctrl+r", "02-running", 0.0, False),
    (None, "03-after-the-run", 45.0, False),
    ("ctrl+e", "04-export-dialog", 0.0, True),
    ("ctrl+n", "05-new-asks-first", 0.0, True),
    ("ctrl+q", "06-quit-asks-first", 0.0, True),
)


def xdo(env: dict, *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True).stdout.strip()


def find_window(env: dict, title: str, timeout: float = 60.0) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = xdo(env, "search", "--onlyvisible", "--name", title).split()
        if found:
            return found[-1]
        time.sleep(0.2)
    return None


def main(out_dir: str, app_path: str | None = None) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="nss-new-user-"))
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"))
    env.pop("QT_QPA_PLATFORM", None)  # the real X display, not offscreen
    command = [app_path] if app_path else [sys.executable, "main.py"]
    app = subprocess.Popen(command, cwd=ROOT, env=env, stdout=open(out / "app.log", "w"), stderr=subprocess.STDOUT)
    started = time.monotonic()
    window = find_window(env, "Neural Style Studio")
    if window is None:
        print("the window did not appear within 60 s; see app.log", file=sys.stderr)
        app.kill()
        return 1
    print(f"window shown after {time.monotonic() - started:.1f} s")
    time.sleep(2.0)  # the instant preview
    ImageGrab.grab(xdisplay=env["DISPLAY"]).save(out / "01-first-view.png")
    xdo(env, "windowactivate", "--sync", window)
    for key, name, wait, escape in STEPS:
        time.sleep(wait)
        if key:
            xdo(env, "key", key)
        time.sleep(2.0)
        ImageGrab.grab(xdisplay=env["DISPLAY"]).save(out / f"{name}.png")
        print(f"{name}.png")
        if escape:
            xdo(env, "key", "Escape")
            time.sleep(1.0)
    alive = app.poll() is None
    app.terminate()
    app.wait(10)
    print("the app was still running at the end" if alive else f"the app ended early with {app.returncode}")
    return 0 if alive else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
