"""Start-up time: from launching the process to the main window being shown.

    .venv/bin/python bench/startup.py                 # from source, 5 runs, median
    .venv/bin/python bench/startup.py --frozen        # dist/NeuralStyleStudio/NeuralStyleStudio
    .venv/bin/python bench/startup.py --runs 7 --platform xcb   # under a real X server (Xvfb)

The clock starts just before the process is spawned and stops when the app reports that its
event loop has started with the window shown (the first turn of the loop runs after show()),
so interpreter start, imports, loading the samples and building the window all count.

How "shown" is detected, best first:
* ``NSS_EXIT_AFTER_SHOW=1`` if gui/app.py supports it: the app prints a line starting with
  ``shown after`` and quits (from source and frozen alike).
* From source without that hook: a wrapper that runs main.py with gui.app.make_app patched to
  schedule the same print-and-quit on the first event-loop turn.
* Frozen without that hook: under Xvfb, poll xwininfo until the "Neural Style Studio" window is
  viewable, then terminate the app (needs Xvfb and xwininfo; slightly later than the hook).

``--phases`` (from source) times the whole way to work instead, each line from spawn:
* window: the first event-loop turn with the window shown;
* preview: the AdaIN instant preview shown (torch and the networks loaded in the worker);
* network: the first iteration of a default Run pressed as soon as the preview is there;
* command: the first iteration of ``main.py render`` (default quality) in its own process.
The first run of each kind starts with an empty cache (the weights' hash not yet verified);
the others share that cache, as a user's second start does.

Each run gets a fresh HOME/XDG directories so no settings or autosave (and no recovery dialog)
from a previous session changes what is measured. Prints every run and the median.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xvfb import Xvfb  # bench/xvfb.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "NeuralStyleStudio" / "NeuralStyleStudio"
HOOK_ENV = "NSS_EXIT_AFTER_SHOW"
MARKER = "shown after"
TITLE = "Neural Style Studio"

# Runs main.py with the same behaviour as the NSS_EXIT_AFTER_SHOW hook, for trees without it.
WRAPPER = f"""
import runpy, sys
sys.path.insert(0, {str(ROOT)!r})
import gui.app as _app
_make_app = _app.make_app
def make_app(argv):
    app = _make_app(argv)
    from PySide6.QtCore import QTimer
    def _shown():
        print({MARKER!r} + " the first event-loop turn", flush=True)
        app.quit()
    QTimer.singleShot(0, _shown)
    return app
_app.make_app = make_app
sys.argv = [{str(ROOT / "main.py")!r}]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


# Prints a line per phase of the window's start and quits after the first iteration of a Run.
PHASES_WRAPPER = f"""
import os, runpy, sys, time
sys.path.insert(0, {str(ROOT)!r})
import gui.app as _app
import gui.running as _running
_make_app = _app.make_app
def make_app(argv):
    app = _make_app(argv)
    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, lambda: print("phase window", flush=True))
    return app
_app.make_app = make_app
_finished, _progress = _running.Runner._on_finished, _running.Runner._on_progress
def on_finished(self, result):
    mode = self.mode
    _finished(self, result)
    if mode == "adain":
        print("phase preview", flush=True)
        self.run()
def on_progress(self, progress):
    _progress(self, progress)
    if progress.iteration >= 1:
        print("phase network", flush=True)
        os._exit(0)
_running.Runner._on_finished, _running.Runner._on_progress = on_finished, on_progress
sys.argv = [{str(ROOT / "main.py")!r}]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

COMMAND_WRAPPER = f"""
import os, runpy, sys
sys.path.insert(0, {str(ROOT)!r})
import engine.api as _t
_stylize = _t.stylize
def stylize(*a, progress=None, **k):
    def report(p):
        if p.iteration >= 1:
            print("phase command", flush=True)
            os._exit(0)
        if progress:
            progress(p)
    return _stylize(*a, progress=report, **k)
_t.stylize = stylize
from resources import sample_path
out = os.path.join(os.environ["HOME"], "out.png")
sys.argv = [{str(ROOT / "main.py")!r}, "render", str(sample_path("content")), str(sample_path("style")), "-o", out]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def time_phases(code: str, env: dict[str, str], timeout: float) -> dict[str, float]:
    """Seconds from spawn to each 'phase NAME' line the wrapper prints."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    seen: dict[str, float] = {}
    buffer = b""
    try:
        while (left := timeout - (time.perf_counter() - start)) > 0:
            ready, _, _ = select.select([proc.stdout], [], [], left)
            chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if line.startswith(b"phase "):
                    seen[line.split()[1].decode()] = time.perf_counter() - start
        return seen
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def measure_phases(runs: int, timeout: float) -> None:
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="nss-phases-") as tmp:
        cache = Path(tmp) / "cache"  # shared: the first run verifies the weights, the others reuse the verdict
        for i in range(runs):
            for k, code in enumerate((PHASES_WRAPPER, COMMAND_WRAPPER)):
                home = Path(tmp) / f"home{i}-{k}"
                home.mkdir()
                env = clean_env(home, "offscreen") | {"XDG_CACHE_HOME": str(cache)}
                for name, seconds in time_phases(code, env, timeout).items():
                    rows.setdefault(name, []).append(seconds)
                    print(f"run {i + 1} {name}: {seconds:.2f} s", flush=True)
    print("\n| from spawn to | first run (empty cache) | median of the others |")
    print("|---|---|---|")
    for name in ("window", "preview", "network", "command"):
        times = rows.get(name, [])
        rest = f"{statistics.median(times[1:]):.1f} s" if len(times) > 1 else "-"
        print(f"| {name} | {times[0]:.1f} s | {rest} |" if times else f"| {name} | did not happen | - |")


def hook_supported(frozen: bool) -> bool:
    """Whether the app honours NSS_EXIT_AFTER_SHOW: gui/app.py has it (and, frozen, the bundle is newer)."""
    app_py = ROOT / "gui" / "app.py"
    if HOOK_ENV not in app_py.read_text(encoding="utf-8"):
        return False
    return not frozen or BUNDLE.stat().st_mtime >= app_py.stat().st_mtime


def clean_env(home: Path, platform: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env.pop(key, None)
    env["HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = platform
    return env


def time_until_marker(cmd: list[str], env: dict[str, str], timeout: float) -> float | None:
    """Seconds from spawn to the marker line; None if it does not come within the timeout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    buffer = b""
    try:
        while (left := timeout - (time.perf_counter() - start)) > 0:
            ready, _, _ = select.select([proc.stdout], [], [], left)
            chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                return None  # timed out, or the app exited without showing the window
            buffer += chunk
            if MARKER.encode() in buffer:
                elapsed = time.perf_counter() - start
                proc.wait(timeout=timeout)
                return elapsed
        return None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def time_until_window(cmd: list[str], env: dict[str, str], timeout: float) -> float | None:
    """Seconds from spawn until xwininfo sees the main window viewable (needs DISPLAY)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout and proc.poll() is None:
            info = subprocess.run(["xwininfo", "-name", TITLE], env=env, capture_output=True, text=True)
            if "IsViewable" in info.stdout:
                return time.perf_counter() - start
            time.sleep(0.02)
        return None
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def measure(frozen: bool, runs: int, warmup: int, platform: str, timeout: float) -> tuple[list[float], str]:
    if frozen and not BUNDLE.is_file():
        raise SystemExit(f"{BUNDLE} does not exist; run 'make app' first")
    cmd = [str(BUNDLE)] if frozen else [sys.executable, str(ROOT / "main.py")]
    if hook_supported(frozen):
        method = f"{HOOK_ENV}=1 hook"
        run = lambda env: time_until_marker(cmd, env | {HOOK_ENV: "1"}, timeout)  # noqa: E731
    elif not frozen:
        method = "wrapper patching gui.app.make_app (gui/app.py has no NSS_EXIT_AFTER_SHOW hook)"
        run = lambda env: time_until_marker([sys.executable, "-c", WRAPPER], env, timeout)  # noqa: E731
    else:
        if platform != "xcb":
            print("the bundle has no NSS_EXIT_AFTER_SHOW hook: watching for its window under Xvfb (xcb)")
            platform = "xcb"
        method = "Xvfb + xwininfo until the window is viewable (no hook in the bundle)"
        run = lambda env: time_until_window(cmd, env, timeout)  # noqa: E731
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nss-startup-") as tmp, contextlib.ExitStack() as stack:
        display = stack.enter_context(Xvfb()).display if platform == "xcb" else None
        for i in range(warmup + runs):
            home = Path(tmp) / f"home{i}"
            home.mkdir()
            env = clean_env(home, platform)
            if display:
                env["DISPLAY"] = display
            elapsed = run(env)
            if elapsed is None:
                raise SystemExit(f"run {i + 1}: the window was not shown within {timeout:.0f} s ({method})")
            label = "warm-up" if i < warmup else f"run {i + 1 - warmup}"
            print(f"{label}: {elapsed:.2f} s", flush=True)
            if i >= warmup:
                times.append(elapsed)
    return times, f"QT_QPA_PLATFORM={platform}, {method}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", action="store_true", help="time the PyInstaller bundle in dist/ instead of main.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--platform",
        default="offscreen",
        choices=("offscreen", "xcb"),
        help="Qt platform plugin; xcb runs under a private Xvfb",
    )
    parser.add_argument("--warmup", type=int, default=1, help="runs to discard first (cold file cache)")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--phases",
        action="store_true",
        help="from source: window, instant preview, a Run's first iteration, the command's first",
    )
    args = parser.parse_args(argv)
    if args.phases:
        measure_phases(args.runs, args.timeout)
        return 0
    times, method = measure(args.frozen, args.runs, args.warmup, args.platform, args.timeout)
    what = "frozen bundle" if args.frozen else "from source"
    print(
        f"start-up to window shown, {what}, {method}: "
        f"median {statistics.median(times):.2f} s over {len(times)} runs "
        f"(min {min(times):.2f}, max {max(times):.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
