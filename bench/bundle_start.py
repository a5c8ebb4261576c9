"""Start-up of the built bundle: from spawning dist/NeuralStyleStudio/NeuralStyleStudio to its
main window being mapped on a real X server (a private Xvfb, Qt's xcb platform).

    .venv/bin/python bench/bundle_start.py                     # 1 cold + 5 warm runs
    .venv/bin/python bench/bundle_start.py --runs 7 --bundle path/to/NeuralStyleStudio

How "visible" is detected: before the bundle is spawned, this script opens its own connection
to the X server (libX11 through ctypes, nothing to install) and selects SubstructureNotify on
the root window, so the server sends it a MapNotify event the moment any top-level window is
mapped. The clock stops at the first MapNotify of a window whose title (_NET_WM_NAME, else
WM_NAME) contains "Neural Style Studio" and whose map state is then IsViewable (Qt's hidden helper
windows are never mapped). No polling, no window manager
needed, and nothing runs beside the app while it starts (polling xwininfo or xdotool would
compete for the same two cores). The app is then terminated.

Runs:
* "cold": before the run every file of the bundle is dropped from the page cache with
  posix_fadvise(DONTNEED) (only the bundle's own files, nothing system-wide, no root), as on
  the first start after unpacking, to the extent the VM's disk cache below allows.
* "warm": the following runs, with the bundle in the page cache (a second start).

The CPU time (user + system, all threads, from /proc/PID/stat) the app has used when its window
is mapped is printed too: on a busy machine the wall-clock time includes waiting for a core,
the CPU time does not. Each run gets a fresh empty HOME (no settings, no recovered session). Needs Xvfb
(apt-get install xvfb). Prints one line per run and a Markdown table.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import platform
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
TITLE = b"Neural Style Studio"

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
IS_VIEWABLE = 2


class XMapEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("event", ctypes.c_ulong),
        ("window", ctypes.c_ulong),
        ("override_redirect", ctypes.c_int),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xmap", XMapEvent), ("pad", ctypes.c_long * 24)]


class XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


class MapWatcher:
    """A libX11 connection that reports top-level windows as the server maps them."""

    def __init__(self, display: str):
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        self.x = x = ctypes.CDLL(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x.XPending.argtypes = [ctypes.c_void_p]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(XEvent)]
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XGetWindowProperty.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_ulong,
            ctypes.c_long,
            ctypes.c_long,
            ctypes.c_int,
            ctypes.c_ulong,
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
        ]
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(XWindowAttributes)]
        x.XFlush.argtypes = [ctypes.c_void_p]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        # A window that is gone by the time we ask about it must not kill this process.
        self._handler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(lambda d, e: 0)
        x.XSetErrorHandler(self._handler)
        self.dpy = x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise SystemExit(f"cannot open X display {display}")
        x.XSelectInput(self.dpy, x.XDefaultRootWindow(self.dpy), SUBSTRUCTURE_NOTIFY_MASK)
        x.XFlush(self.dpy)
        self.fd = x.XConnectionNumber(self.dpy)

    def title(self, window: int) -> bytes:
        """_NET_WM_NAME (UTF-8, what Qt sets for a title like "Untitled — Neural Style Studio"), else WM_NAME."""
        x = self.x
        for atom_name in (b"_NET_WM_NAME", b"WM_NAME"):
            atom = x.XInternAtom(self.dpy, atom_name, True)
            if not atom:
                continue
            kind, fmt = ctypes.c_ulong(), ctypes.c_int()
            count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.POINTER(ctypes.c_ubyte)()
            status = x.XGetWindowProperty(
                self.dpy,
                window,
                atom,
                0,
                1024,
                False,
                0,
                ctypes.byref(kind),
                ctypes.byref(fmt),
                ctypes.byref(count),
                ctypes.byref(after),
                ctypes.byref(data),
            )
            if status == 0 and data:
                value = ctypes.string_at(data, count.value) if fmt.value == 8 else b""
                x.XFree(data)
                if value:
                    return value
        return b""

    def viewable(self, window: int) -> bool:
        attrs = XWindowAttributes()
        return (
            bool(self.x.XGetWindowAttributes(self.dpy, window, ctypes.byref(attrs))) and attrs.map_state == IS_VIEWABLE
        )

    def drain(self) -> None:
        event = XEvent()
        while self.x.XPending(self.dpy):
            self.x.XNextEvent(self.dpy, ctypes.byref(event))

    def wait_for(self, title: bytes, deadline: float, proc: subprocess.Popen) -> float | None:
        """perf_counter() at the MapNotify of the first viewable window titled `title`."""
        event = XEvent()
        while (left := deadline - time.perf_counter()) > 0 and proc.poll() is None:
            if not self.x.XPending(self.dpy):
                select.select([self.fd], [], [], min(left, 0.5))
                continue
            self.x.XNextEvent(self.dpy, ctypes.byref(event))
            if event.type == MAP_NOTIFY:
                seen = time.perf_counter()
                window = event.xmap.window
                if title in self.title(window) and self.viewable(window):
                    return seen
        return None

    def close(self) -> None:
        self.x.XCloseDisplay(self.dpy)


def evict(folder: Path) -> int:
    """Drop the folder's files from the page cache (this process's request; no root needed)."""
    count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process (all its threads) has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(bundle: Path, display: str, watcher: MapWatcher, home: Path, timeout: float) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "QT_", "WAYLAND"))}
    env.update(HOME=str(home), DISPLAY=display, QT_QPA_PLATFORM="xcb")
    watcher.drain()
    log = home / "stderr.txt"
    start = time.perf_counter()
    with log.open("wb") as err:
        proc = subprocess.Popen([str(bundle)], env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=err)
    try:
        shown = watcher.wait_for(TITLE, start + timeout, proc)
        if shown is None:
            why = f"the app exited with {proc.returncode}" if proc.poll() is not None else f"{timeout:.0f} s passed"
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            raise SystemExit(f"no 'Neural Style Studio' window was mapped: {why}\n" + "\n".join(tail))
        return shown - start, cpu_seconds(proc.pid)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def cpu_kind() -> str:
    model = platform.processor() or ""
    try:
        text = Path("/proc/cpuinfo").read_text()
        model = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("model name"))
        flags = next(line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags"))
        model += ", avx512_bf16 " + ("yes" if "avx512_bf16" in flags else "no")
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"


def bundle_info(bundle: Path) -> str:
    info = bundle.parent / "_internal" / "build-info.txt"
    return info.read_text().strip().replace("\n", ", ") if info.is_file() else "no build-info.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    parser.add_argument("--runs", type=int, default=5, help="warm runs after the cold one")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    if not bundle.is_file():
        raise SystemExit(f"{bundle} does not exist; run 'make app' first")
    print(f"bundle: {bundle} ({bundle_info(bundle)})")
    print(f"CPU: {cpu_kind()}")
    times: list[tuple[str, float]] = []
    cpu: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nss-bundle-start-") as tmp, Xvfb() as server:
        watcher = MapWatcher(server.display)
        try:
            for i in range(1 + args.runs):
                label = "cold" if i == 0 else f"warm {i}"
                if i == 0:
                    evict(bundle.parent)
                home = Path(tmp) / f"home{i}"
                home.mkdir()
                elapsed, used = one_run(bundle, server.display, watcher, home, args.timeout)
                print(f"{label}: {elapsed:.2f} s (CPU time used by then: {used:.2f} s)", flush=True)
                times.append((label, elapsed))
                cpu.append(used)
        finally:
            watcher.close()
    warm = [t for label, t in times if label != "cold"]
    print("\n| start-up to the window mapped (Xvfb, xcb) | seconds |")
    print("|---|---|")
    print(f"| cold (bundle evicted from the page cache) | {times[0][1]:.2f} |")
    if warm:
        print(f"| warm, median of {len(warm)} | {statistics.median(warm):.2f} |")
        print(f"| warm, min - max | {min(warm):.2f} - {max(warm):.2f} |")
    print(f"| CPU time (user + sys) the app used by then, median of all runs | {statistics.median(cpu):.2f} |")
    print(
        f"\nload average {os.getloadavg()[0]:.1f} at the end: with more runnable processes than cores, "
        "the wall-clock figures include waiting for a core; the CPU time does not."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
