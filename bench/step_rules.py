"""L-BFGS step rules compared on real pairs: torch's strong-Wolfe line search
(--step-rule wolfe) against the engine's sync-free trust-radius L-BFGS
(--step-rule sync-free), same settings otherwise, in one run.

    python bench/step_rules.py [--size 256] [--iterations 300]

Prints the loss at a third, two thirds and all of the iterations, the
evaluations (forward + backward passes) and the seconds, and how often the
reported loss rose from one iteration to the next (a line search reports
trial points; the sync-free rule only accepted ones).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.api import stylize  # noqa: E402
from engine.image.io import load_image, resize_long_side  # noqa: E402
from engine.settings import Settings  # noqa: E402

IMAGES = ROOT.parent / "shared" / "images"
if not IMAGES.is_dir():
    IMAGES = ROOT / "resources" / "samples"
PAIRS = [
    ("chelsea.png", "van_gogh_starry_night_1889.jpg"),
    ("opencv_leuvenA_street.jpg", "hokusai_great_wave_off_kanagawa.png"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--iterations", type=int, default=300)
    args = ap.parse_args()
    n = args.iterations
    print(f"| pair | step rule | loss at {n // 3} | at {2 * n // 3} | at {n} | evaluations | seconds | rises |")
    print("|---|---|---|---|---|---|---|---|")
    for content, style in PAIRS:
        if not (IMAGES / content).is_file():
            continue
        c = resize_long_side(load_image(IMAGES / content).rgb, args.size)
        s = resize_long_side(load_image(IMAGES / style).rgb, args.size)
        for rule in ("wolfe", "sync-free"):
            start = time.perf_counter()
            r = stylize(
                c, [s], Settings(quality="custom", size=args.size, iterations=n, preview_every=0, step_rule=rule)
            )
            h = r.history
            rises = sum(1 for a, b in zip(h, h[1:]) if b > a)
            print(
                f"| {Path(content).stem} / {Path(style).stem} | {rule} | {h[n // 3 - 1]:.3f} | {h[2 * n // 3 - 1]:.3f} "
                f"| {r.loss:.4f} | {r.evaluations} | {time.perf_counter() - start:.0f} | {rises} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
