"""AdaIN warm start: iterations and seconds to reach the loss a content-
initialised run reaches after N iterations, with and without the warm start.

    python bench/adain_warmstart.py [--size 256] [--iterations 100]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.api import stylize  # noqa: E402
from engine.image.io import load_image  # noqa: E402
from engine.network.adain import adain_stylize  # noqa: E402
from engine.settings import Settings  # noqa: E402

CONTENT = ROOT / "resources/samples/chelsea.png"
STYLE = ROOT / "resources/samples/van_gogh_starry_night_1889.jpg"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--iterations", type=int, default=100)
    args = ap.parse_args()
    c, s = load_image(CONTENT).rgb, load_image(STYLE).rgb
    base = Settings(quality="custom", size=args.size, iterations=args.iterations, preview_every=0)

    adain_stylize(c, s, size=args.size)  # load the decoder once, outside the timings
    t = time.perf_counter()
    adain_stylize(c, s, size=args.size)
    t_adain = time.perf_counter() - t

    t = time.perf_counter()
    ref = stylize(c, [s], base)
    t_ref = time.perf_counter() - t
    target = ref.loss

    reached = {}
    start = time.perf_counter()

    def watch(p):
        if p.loss <= target and "it" not in reached:
            reached.update(it=p.iteration, t=time.perf_counter() - start)

    warm = stylize(
        c,
        [s],
        base.replace(init="adain", iterations=3 * args.iterations),
        progress=watch,
        should_stop=lambda: "it" in reached,
    )
    print(f"Loss of a content-initialised run after {args.iterations} iterations at {args.size} px: {target:.4g}\n")
    print("| start | iterations to that loss | seconds | speed-up |")
    print("|---|---|---|---|")
    print(f"| content | {args.iterations} | {t_ref:.1f} | 1.00x |")
    if reached:
        print(
            f"| AdaIN warm start ({t_adain:.2f} s feed-forward, included) | {reached['it']} | "
            f"{reached['t']:.1f} | {t_ref / reached['t']:.2f}x |"
        )
    else:
        print(f"| AdaIN warm start | not reached in {3 * args.iterations} (best {warm.loss:.4g}) | - | - |")
    print(f"\nAdaIN feed-forward alone at {args.size} px: {t_adain:.2f} s")


if __name__ == "__main__":
    main()
