"""The `video` command's options: the input and output, the frames to take,
the video options (engine VideoOptions) and every render setting."""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
from pathlib import Path

from engine.errors import StyleError
from engine.image.write import check_output_folder
from engine.presets import PRESETS
from engine.video.cache import wrote_partial
from engine.video.frames import VIDEO_SUFFIXES, pick_codec
from engine.video.options import VideoOptions

from .common import Parser, named
from .options import add_settings_options

MAX_FRAME_ITERATIONS = 100_000  # as --iterations; torch cannot count past int64


def build_video_parser() -> argparse.ArgumentParser:

    p = Parser(
        prog="main.py video",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description=(
            "Stylise a video with temporal consistency (Ruder et al. 2016): the first frame gets the full schedule, "
            "each later frame starts from the one before, warped along the optical flow."
        ),
    )
    p.add_argument(
        "input", metavar="INPUT", help="video file (.mp4, .mov, .mkv, .webm, .gif) or a folder of numbered frames"
    )
    p.add_argument("styles", metavar="STYLE", nargs="+", help="one or more style images")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="video file (.mp4: H.264; .mov, .mkv, .webm, .gif) or a "
        "folder for PNG frames; the finished frames wait in OUTPUT.frames/ until the end",
    )
    p.add_argument(
        "--frames",
        metavar="FIRST:LAST",
        help="only frames FIRST to LAST (counted from 1, both included; either may be left out)",
    )
    p.add_argument(
        "--fps",
        type=named(_positive, "number"),
        help="frame rate of the output (default: the input's; 25 for a folder of frames)",
    )
    for f in dataclasses.fields(VideoOptions):
        kind = named({float: float, int: int}.get(type(f.default), str), "number")
        p.add_argument(
            "--" + f.name.replace("_", "-"),
            type=kind if "choices" not in f.metadata else str,
            choices=f.metadata.get("choices"),
            default=f.default,
            help=f.metadata["help"],
        )
    p.add_argument("--settings", metavar="FILE", help="load settings from a JSON file or an image this program wrote")
    p.add_argument("--overwrite", action="store_true", help="replace the output if it exists")
    p.add_argument("--preset", choices=sorted(PRESETS), help="start from a named preset; explicit flags override it")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress")
    add_settings_options(p)
    p.set_defaults(reconstruct=None)
    return p


def _positive(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1000:
        raise StyleError("the frame rate must be above 0 and at most 1000")
    return value


def options_from_args(args) -> VideoOptions:
    if not math.isfinite(args.temporal_weight):
        raise StyleError(f"--temporal-weight must be a number, not {args.temporal_weight}.")
    if args.frame_iterations > MAX_FRAME_ITERATIONS:
        raise StyleError(f"--frame-iterations must be at most {MAX_FRAME_ITERATIONS}, not {args.frame_iterations}.")
    if args.temporal_weight < 0:
        raise StyleError("--temporal-weight must be 0 (independent frames) or more.")
    if args.frame_iterations < 1:
        raise StyleError("--frame-iterations must be 1 or more.")
    return VideoOptions(**{f.name: getattr(args, f.name) for f in dataclasses.fields(VideoOptions)})


def frame_range(text: str | None, count: int) -> tuple[int, int]:
    """'FIRST:LAST' (1-based, inclusive) as 0-based (first, end) within `count` frames."""
    if not text:
        return 0, count
    a, sep, b = text.partition(":")
    try:
        first, last = int(a) if a.strip() else 1, int(b) if b.strip() else count
    except ValueError:
        first = last = -1
    if sep and first > count:
        raise StyleError(f"--frames starts at frame {first}, but the input has only {count} frames.")
    if not sep or first < 1 or last < first:
        raise StyleError(f"--frames {text} is not a range such as 10:50 (counted from 1, FIRST no more than LAST).")
    if last > count:  # a typo or the wrong input: say so rather than render fewer frames than asked
        raise StyleError(
            f"--frames ends at frame {last}, but the input has only {count} frames; use --frames {first}:{count} "
            f"(or {first}: to the end)."
        )
    return first - 1, last


def check_output(text: str, overwrite: bool, key: dict) -> Path:
    """A video file or a folder that may be written; an existing one only with
    --overwrite, or when it is the partial result of this same render."""
    if not text.strip():
        raise StyleError("The output name is empty; give a file name such as result.mp4 or a folder name.")
    out = Path(text)
    folder = out.parent if str(out.parent) else Path(".")
    if out.suffix and out.suffix.lower() not in VIDEO_SUFFIXES and not out.is_dir():
        raise StyleError(f"Output {out} must end in {', '.join(VIDEO_SUFFIXES)}, or name a folder for PNG frames.")
    check_output_folder(folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StyleError(f"Output folder {folder} is not writable; choose a folder you can write to.")
    if out.suffix.lower() in VIDEO_SUFFIXES:
        pick_codec(out)
        if out.is_dir():
            raise StyleError(f"{out} is a folder; give a video file name such as {out / 'result.mp4'}.")
    elif out.exists() and not out.is_dir():
        raise StyleError(f"{out} is a file; give a folder name for the PNG frames, or a video file name.")
    taken = out.exists() and (out.is_file() or any(out.iterdir()))
    if taken and not overwrite and not wrote_partial(out.with_name(out.name + ".frames"), key, out):
        raise StyleError(f"{out} already exists; choose another name or pass --overwrite to replace it.")
    return out


def run_key(args, settings, options, first: int, last: int) -> dict:
    """What makes two runs the same render, for resuming from the cached frames."""
    return {
        "input": str(Path(args.input).resolve()),
        "frames": [first, last],
        "styles": [str(Path(s).resolve()) for s in args.styles],
        "settings": settings.to_dict(),
        "video": dataclasses.asdict(options),
    }
