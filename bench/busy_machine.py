"""A render on a machine that is doing something else: OpenMP's spin before sleep (engine/openmp.py).

    .venv/bin/python bench/busy_machine.py [--cpu avx2] [--size 192] [--runs 2]

Runs `main.py render` (chelsea.png with Starry Night, the default settings at --size) with no
other load and with one and two busy processes (each a `while True: pass` loop, as a browser
tab or a build takes a core), once with libgomp's own spin (GOMP_SPINCOUNT=300000, what torch
does unless told) and once with the app's (engine/openmp.py). Prints the median wall time of
--runs runs for each, and the ratio. Each render is its own process: OpenMP reads the spin once.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import openmp  # noqa: E402

AVX2_ENV = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}
LIBGOMP_DEFAULT = {"GOMP_SPINCOUNT": "300000"}
IMAGES = ROOT.parent / "shared" / "images"


def render_seconds(size: int, env: dict, out: Path) -> float:
    args = [sys.executable, str(ROOT / "main.py"), "render", str(IMAGES / "chelsea.png")]
    args += [str(IMAGES / "van_gogh_starry_night_1889.jpg"), "-o", str(out), "--size", str(size), "--overwrite", "-q"]
    start = time.perf_counter()
    subprocess.run(args, env=os.environ | env, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cpu", choices=("native", "avx2"), default="native")
    parser.add_argument("--size", type=int, default=192)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    base = AVX2_ENV if args.cpu == "avx2" else {}
    out = Path("/tmp/nss-busy-machine.png")
    rows = []
    for busy in (0, 1, 2):
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
        try:
            times = {
                name: statistics.median(render_seconds(args.size, base | env, out) for _ in range(args.runs))
                for name, env in (("libgomp", LIBGOMP_DEFAULT), ("app", openmp.ENV))
            }
        finally:
            for hog in hogs:
                hog.kill()
        rows.append((busy, times["libgomp"], times["app"]))
    print(f"`main.py render` at {args.size} px, {args.cpu} kernels, {os.cpu_count()} CPUs, median of {args.runs}")
    print("| busy processes | libgomp's spin (300,000) | the app's (10,000) | ratio |")
    print("|---|---|---|---|")
    for busy, lib, app in rows:
        print(f"| {busy} | {lib:.1f} s | {app:.1f} s | {app / lib:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
