"""Temporal consistency of `main.py video`: a short pan-and-zoom clip made
from a shared photo, stylised as independent frames (--temporal-weight 0,
the full default schedule each) and with the temporal method (warped start,
a short pass, Ruder et al.'s temporal loss). Prints, per method, the seconds
per frame after the first and the temporal error: the mean absolute
difference (8-bit levels) between stylised frame t and stylised frame t-1
warped along the input's optical flow, over the pixels the flow check marks
reliable. Writes a strip of frames of both to docs/images/video_strip.png.

    python bench/video_consistency.py [--size 256] [--frames 8] [--weights 0,1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.api import FrameCache, VideoOptions, open_source, stylize_video, write_video  # noqa: E402
from engine.image.io import load_image, resize_to, save_image  # noqa: E402
from engine.settings import Settings  # noqa: E402
from engine.video.flow import temporal_error  # noqa: E402

SHARED = ROOT.parent / "shared" / "images"
PHOTO, STYLE = "chelsea.png", "van_gogh_starry_night_1889.jpg"


def image(name: str) -> np.ndarray:
    path = SHARED / name if (SHARED / name).is_file() else ROOT / "resources" / "samples" / name
    return load_image(path).rgb


def pan_zoom(photo: np.ndarray, count: int, size: int) -> list[np.ndarray]:
    """Crops that move right 1% of the width and zoom in 1% per frame, at `size` px."""
    h, w = photo.shape[:2]
    out = []
    for k in range(count):
        cw, ch = int(w * 0.8 * (1 - 0.01 * k)), int(h * 0.8 * (1 - 0.01 * k))
        x, y = int(w * 0.05 + 0.01 * w * k), (h - ch) // 2
        crop = photo[y : y + ch, x : x + cw]
        out.append(resize_to(crop, (size, round(size * ch / cw))))
    return out


def render(clip: Path, style, settings, options, folder: Path):
    source = open_source(clip)
    times = []
    cache = FrameCache(folder, {"weight": options.temporal_weight}, overwrite=True)
    stylize_video(
        source.read(), source.count, [style], settings, options, cache, on_frame=lambda f: times.append(f.seconds)
    )
    return list(cache.frames(source.count)), float(np.mean(times[1:]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--weights", default=f"0,{VideoOptions().temporal_weight:g}", help="temporal weights to compare")
    ap.add_argument("--frame-iterations", type=int, default=VideoOptions().frame_iterations)
    ap.add_argument("--strip", default=str(ROOT / "docs" / "images" / "video_strip.png"))
    args = ap.parse_args()
    settings = Settings(size=args.size, preview_every=0)
    inputs = pan_zoom(image(PHOTO), args.frames, args.size)
    style = image(STYLE)
    rows, strips = [], []
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "clip.mp4"
        write_video(clip, inputs, Fraction(12))
        inputs = list(open_source(clip).read())  # what the method sees: the decoded frames
        for w in (float(x) for x in args.weights.split(",")):
            options = VideoOptions(temporal_weight=w, frame_iterations=args.frame_iterations)
            start = time.perf_counter()
            outputs, per_frame = render(clip, style, settings, options, Path(tmp) / f"w{w:g}")
            rows.append((w, per_frame, temporal_error(inputs, outputs), time.perf_counter() - start))
            strips.append(outputs)
    print(f"{args.frames} frames, {args.size} px, {PHOTO} + {STYLE}, frame iterations {args.frame_iterations}")
    print("| method | s/frame after the first | temporal error (8-bit levels) | total s |")
    print("|---|---|---|---|")
    base_t, base_e = rows[0][1], rows[0][2]
    for w, t, e, total in rows:
        name = "independent frames (weight 0)" if w == 0 else f"temporal, weight {w:g}"
        print(f"| {name} | {t:.2f} ({t / base_t:.2f}x) | {e:.2f} ({e / base_e:.2f}x) | {total:.0f} |")
    _strip(args.strip, strips)


def _strip(path: str, strips: list) -> None:
    """Frames 1, 3, 5, ... of each method, one method a row."""
    picks = range(0, len(strips[0]), 2)
    rows = [np.concatenate([s[k] for k in picks], axis=1) for s in strips]
    save_image(Path(path), np.concatenate(rows, axis=0), overwrite=True)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
