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
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xmap import MapWatcher  # bench/xmap.py, beside this script
from xvfb import Xvfb  # bench/xvfb.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "NeuralStyleStudio" / "NeuralStyleStudio"
TITLE = b"Neural Style Studio"


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
