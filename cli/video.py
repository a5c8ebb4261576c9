"""`python main.py video INPUT STYLE... -o OUT`: a stylised video with
temporal consistency (engine/video/), with the same up-front checks, signals
and safe writes as `render`. Finished frames wait in OUT.frames/ so that a
second run resumes; Ctrl-C writes the video of the frames done so far.
Exit codes: 0 done, 2 bad input, 130/143 interrupted.
"""

from __future__ import annotations

import signal
import sys
from fractions import Fraction
from pathlib import Path

from engine.image.io import load_image
from engine.pipeline.checks import check_sizes, check_style_memory
from engine.video.libs import require_video_libs

from .checks import check_not_an_input, check_room, estimate_file_bytes
from .common import EXIT_OK, FrameBar, guarded
from .video_options import build_video_parser, check_output, frame_range, options_from_args, run_key


def main(argv: list[str] | None = None) -> int:
    return guarded(run, build_video_parser().parse_args(argv))


def run(args) -> int:
    require_video_libs()
    from engine.api import FrameCache, open_source, output_size  # local: imports torch (start-up time)
    from engine.pipeline.memory import estimate_bytes

    from .options import settings_from_args

    settings = settings_from_args(args).check_style_count(len(args.styles))
    options = options_from_args(args)
    source = open_source(args.input)
    first, last = frame_range(args.frames, source.count)
    styles = [load_image(s, "Style image").rgb for s in args.styles]
    key = run_key(args, settings, options, first, last)
    out = check_output(args.output, args.overwrite, key)
    check_not_an_input(out, {"the input": args.input, **{f"style image {i}": p for i, p in enumerate(args.styles, 1)}})
    first_frame = next(source.read(first, first + 1))
    out_wh = output_size(first_frame, [], settings.output_size)
    check_sizes(first_frame.shape[:2], [s.shape[:2] for s in styles], settings)
    check_style_memory([s.shape[:2] for s in styles], settings, estimate_bytes(out_wh, settings))
    _check_room(out, out_wh, last - first)
    cache = FrameCache(out.with_name(out.name + ".frames"), key, overwrite=args.overwrite)
    fps = Fraction(args.fps) if args.fps else source.fps
    return _render(args, out, source, (first, last), fps, styles, settings, options, cache)


def _check_room(out: Path, out_wh, frames: int) -> None:
    """Room for the frames still to render (they wait in OUT.frames/) and the video, before any work:
    a full disk was a bare 'No space left on device' after the first frame, and an empty folder left behind."""
    cached = out.with_name(out.name + ".frames")
    done = len(list(cached.glob("frame_*.png"))) if cached.is_dir() else 0
    folder = out.parent if str(out.parent) else Path(".")
    check_room(folder, estimate_file_bytes(out_wh, 8, False) * (max(frames - done, 0) + 1), "the frames")


def _render(args, out, source, span, fps, styles, settings, options, cache) -> int:
    """The frames between the signal handlers, then the video of those done."""
    from engine.api import stylize_video  # local: see run()

    stop = {"flag": False, "signal": signal.SIGINT}

    def on_signal(signum, frame):  # the first stops the run; further ones wait for the write
        if not stop["flag"]:
            stop["flag"], stop["signal"] = True, signum

    first, last = span
    bar = FrameBar(args.quiet, last - first)
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = stylize_video(
            source.read(first, last),
            last - first,
            styles,
            settings,
            options,
            cache,
            progress=bar.iteration,
            on_frame=bar.frame,
            should_stop=lambda: stop["flag"],
        )
        bar.done()
        for s in previous:
            signal.signal(s, on_signal if stop["flag"] else signal.SIG_IGN)  # nothing interrupts the write
        notes = _write(out, cache, result.done, fps, source, span) if result.done else []
        if result.cancelled and result.done:
            cache.mark_partial(out)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    for note in result.notes + notes:
        print(f"note: {note}.", file=sys.stderr)
    if result.cancelled:
        if not result.done:
            print("Interrupted before the first frame was finished; nothing was written.", file=sys.stderr)
        else:
            print(
                f"Interrupted after {result.done} of {result.total} frames; wrote them to {out}. Run the same "
                f"command again to finish (the frames done wait in {cache.folder}).",
                file=sys.stderr,
            )
        return 128 + stop["signal"]
    cache.remove()
    if not args.quiet:
        print(f"Saved {out} ({result.done} frames at {float(fps):g} fps).", file=sys.stderr)
    return EXIT_OK


def _write(out: Path, cache, count: int, fps, source, span) -> list[str]:
    """The video (with the input's audio over the same span) or the folder of frames, atomically."""
    from engine.api import write_rendered  # local: see run()

    return write_rendered(out, cache, count, fps, source, first=span[0])
