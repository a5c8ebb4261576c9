"""Export speed: refine an approved 512 px result to 1024 and 2048 px (gui.jobs.export_steps).

    .venv/bin/python bench/export_speed.py                 # fp32, the shared cat + Starry Night
    .venv/bin/python bench/export_speed.py --precision auto --sizes 1024

Renders the approved picture with the default schedule first (not timed as
export), then times each export exactly as the window runs it: stylize with
init=the approved result and the export settings. Prints a table with the
time, the passes and how close the export is to the enlarged preview
(mean absolute difference, 0..1) compared with the photo.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.api import stylize  # noqa: E402
from engine.image.io import load_image, resize_to  # noqa: E402
from engine.pipeline.cores import use_every_core  # noqa: E402
from engine.settings import Settings  # noqa: E402
from gui.jobs import export_settings, export_steps  # noqa: E402
from resources import sample_path  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(sample_path("content")))
    parser.add_argument("--style", default=str(sample_path("style")))
    parser.add_argument("--precision", default="fp32")
    parser.add_argument("--base", type=int, default=512)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048])
    args = parser.parse_args(argv)
    threads = use_every_core()
    content, style = load_image(args.content).rgb, load_image(args.style).rgb
    base = Settings(size=args.base, precision=args.precision)
    t = time.perf_counter()
    approved = stylize(content, [style], base).image
    print(
        f"approved {args.base} px picture: {time.perf_counter() - t:.1f} s ({args.precision}, {threads} threads)",
        flush=True,
    )
    rows = []
    for size in args.sizes:
        steps = export_steps(args.base, size)
        t, cpu = time.perf_counter(), time.process_time()
        result = stylize(content, [style], export_settings(base, size, args.base), init=approved)
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
        enlarged = resize_to(approved, result.image.shape[1::-1])
        photo = resize_to(content, result.image.shape[1::-1])
        rows.append(
            (
                size,
                steps,
                seconds,
                cpu,
                np.abs(result.image - enlarged).mean(),
                np.abs(result.image - photo).mean(),
                "; ".join(result.notes),
            )
        )
        print(f"{size} px: {seconds:.0f} s ({cpu:.0f} CPU s)", flush=True)
    # CPU s / threads is the wall time on an otherwise idle machine with that many cores
    print(
        "\n| export | passes (px x iterations) | time | CPU time / threads | diff to enlarged preview | diff to photo "
        "| notes |"
    )
    print("|---|---|---|---|---|---|---|")
    for size, steps, seconds, cpu, d_prev, d_photo, notes in rows:
        passes = ", ".join(f"{s}x{n}" for s, n in steps)
        print(
            f"| {size} px | {passes} | {seconds / 60:.1f} min | {cpu / threads / 60:.1f} min | {d_prev:.3f} | "
            f"{d_photo:.3f} | {notes} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
