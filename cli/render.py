"""`python main.py render`: the headless command, a face of the engine like
the window. It reads the options (cli/options.py), checks everything before
any work (cli/checks.py), runs engine.api.stylize_loaded and saves the result
safely. Exit codes: 0 done, 2 bad input, 130/143 interrupted (after saving
the best image so far).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys

import numpy as np

from engine.errors import StyleError
from engine.image.io import load_image
from engine.image.write import check_output_path
from engine.losses.masks import MAX_REGIONS

from .checks import Snapshots, check_before_work, check_not_an_input, save_result
from .common import EXIT_BAD_INPUT, EXIT_OK, guarded
from .options import build_parser, settings_from_args
from .progress import Bar


def main(argv: list[str] | None = None) -> int:
    return guarded(run, build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    # local: engine.api imports torch; --help and bad options answer without it (start-up time)
    from engine.api import output_size

    settings = settings_from_args(args)
    out = check_output_path(args.output, args.overwrite)
    check_not_an_input(out, _inputs(args, settings))
    if args.bits == 16 and out.suffix.lower() in (".jpg", ".jpeg"):
        raise StyleError("JPEG cannot store 16 bits per channel; use .png or .tif for --bits 16.")
    settings.check_style_count(len(args.styles))
    content = None if args.content.lower() == "none" else load_image(args.content, "Content image")
    styles = [load_image(s, "Style image") for s in args.styles]
    masks = _load_masks(args, len(styles))
    out_wh = output_size(content.rgb if content else None, [s.rgb for s in styles], settings.output_size)
    _check_memory(out_wh, settings, tileable=masks[0] is None and not settings.photoreal and not settings.local_window)
    check_before_work(args, out, settings, content, styles, out_wh)
    return _render(args, out, settings, content, styles, masks)


def _inputs(args, settings) -> dict:
    """The files the run reads, by what they are called, for check_not_an_input."""
    named = {"the content image": args.content, "the content mask": args.content_mask, "the start image": settings.init}
    named.update({f"style image {i}": p for i, p in enumerate(args.styles, start=1)})
    named.update({f"the mask of style image {i}": p for i, p in enumerate(args.style_mask or [], start=1)})
    return named


def _render(args, out, settings, content, styles, masks) -> int:
    """The run itself, between the signal handlers, and the safe save."""
    from engine.api import stylize_loaded  # local: see run()

    stop = {"flag": False, "signal": signal.SIGINT}

    def on_signal(signum, frame):  # the first stops the run; further ones wait for the save
        if not stop["flag"]:
            stop["flag"], stop["signal"] = True, signum

    bar = Bar(args.quiet)
    settings_json = json.dumps(
        {"settings": settings.to_dict(), "content": args.content, "styles": args.styles}, indent=1
    )
    progress = _progress(args, bar, Snapshots(out, args, settings_json))
    if args.save_every:
        settings = settings.replace(preview_every=args.save_every)
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = stylize_loaded(content, styles, settings, masks, progress=progress, should_stop=lambda: stop["flag"])
        for s in previous:
            signal.signal(s, on_signal if stop["flag"] else signal.SIG_IGN)  # nothing interrupts the save
        bar.done()
        written, problem = save_result(
            out,
            result.image,
            content.alpha if content else None,
            bits=args.bits,
            settings_json=settings_json,
            overwrite=args.overwrite,
        )
    finally:
        bar.done()  # however the run ended, the next message starts on its own line
        for s, handler in previous.items():
            signal.signal(s, handler)
    return _report(args, out, result, written, problem, stop["signal"])


def _progress(args, bar: Bar, snapshots: Snapshots):
    """The run's progress callback: the bar, and every --save-every-th image beside the output."""

    def progress(p):
        bar(p)
        every = args.save_every
        if every and p.preview is not None and 0 < p.iteration < p.total and p.iteration % every == 0:
            snapshots.save(p)

    return progress


def _report(args, out, result, written, problem, signum) -> int:
    """The closing lines and the exit status."""
    for note in result.notes:
        print(f"note: {note}.", file=sys.stderr)
    if problem:
        print(f"error: could not write {out} ({problem}); saved the result to {written} instead.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if result.cancelled:
        print(
            f"Interrupted after {result.iterations} iterations; saved the best image so far to {out}.", file=sys.stderr
        )
        return 128 + signum
    if result.stopped_reason:
        print(f"Stopped early: {result.stopped_reason}. Saved the best image to {out}.", file=sys.stderr)
    elif not args.quiet and result.iterations == 0:
        print(f"Saved {out} (no optimisation: the start image as it is).", file=sys.stderr)
    elif not args.quiet:
        print(f"Saved {out} ({result.iterations} iterations, loss {result.loss:.4g}).", file=sys.stderr)
    return EXIT_OK


def _check_memory(size_wh, settings, tileable: bool) -> None:
    """Fail before any work when the output cannot be made in memory, even in tiles."""
    from engine.network.device import pick_device  # local: see run()
    from engine.pipeline.memory import fit_history, whole_image_fits

    try:
        fit_history(size_wh, settings)
    except StyleError:
        if not tileable or not whole_image_fits(size_wh, pick_device(settings.device)):
            raise
        print(f"note: {max(size_wh)} px does not fit in memory at once; the last pass runs in tiles.", file=sys.stderr)


def _load_masks(args, n_styles):
    """Label images as uint8 RGB arrays: (content mask, [style masks])."""
    if not args.content_mask and not args.style_mask:
        return None, None
    if args.style_mask and len(args.style_mask) != n_styles:
        raise StyleError(
            f"Give --style-mask once per style image ({n_styles}), in the same order; got {len(args.style_mask)}."
        )
    if args.content_mask is None:
        raise StyleError("--style-mask needs a --content-mask that says which region takes which style.")
    content = _label(args.content_mask, "Content mask")
    styles = [
        _label(p, f"Mask of style image {i + 1}") if p.lower() != "none" else None
        for i, p in enumerate(args.style_mask or [])
    ]
    return content, styles


def _label(path: str, what: str) -> np.ndarray:
    """A label image as uint8 RGB, refused here, by its file name, when it has too many colours to be regions."""
    rgb = np.round(load_image(path, what).rgb * 255).astype(np.uint8)
    colours = np.unique((rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]).size
    if colours > MAX_REGIONS:
        raise StyleError(
            f"{what} {path} has {colours} colours, more than {MAX_REGIONS} regions; paint it with a few flat "
            "colours, antialiasing off, and save it as PNG (JPEG adds colours)."
        )
    return rgb
