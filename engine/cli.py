"""`python main.py render`: the headless command, built from Settings.

Every Settings field becomes a flag with the field's default and help text,
so the command line cannot drift from the engine. Exit codes: 0 done,
2 bad input, 130 interrupted (after saving the best image so far).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import time
from pathlib import Path

from .cli_checks import Snapshots, check_before_work, save_result
from .errors import StyleError
from .presets import PRESETS, apply_preset
from .settings import Settings, option_fields

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 2, 130


class Parser(argparse.ArgumentParser):
    """A bad option gets one line and a hint, not the whole usage text."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"error: {message}; see '{self.prog} --help'.\n")


def _named(convert, name: str):
    """A converter argparse names in its messages, passing our sentences through."""
    def wrapped(text):
        try:
            return convert(text)
        except StyleError as exc:
            raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None
    wrapped.__name__ = name
    return wrapped


def parse_layers(text: str) -> dict:
    """'relu4_2:1,relu5_1:0.5' -> {'relu4_2': 1.0, 'relu5_1': 0.5}; bare names weigh 1."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, weight = part.partition(":")
        try:
            out[name.strip()] = float(weight) if weight else 1.0
        except ValueError:
            raise StyleError(f"Layer weight {weight!r} for {name} is not a number; write layers as name:weight.") from None
    return out


def parse_floats(text: str) -> list:
    try:
        return [float(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise StyleError(f"{text!r} is not a comma-separated list of numbers.") from None


def _converter(default):
    if isinstance(default, dict):
        return _named(parse_layers, "layer list")
    if isinstance(default, list):
        return _named(parse_floats, "number list")
    return {int: _named(int, "whole number"), float: _named(float, "number")}.get(type(default), type(default))


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="main.py render",
        description="Render a style transfer without the window. Give CONTENT as 'none' for texture synthesis.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("content", metavar="CONTENT", help="content photo, or 'none' for texture synthesis")
    p.add_argument("styles", metavar="STYLE", nargs="+", help="one or more style images")
    p.add_argument("-o", "--output", required=True, help="output file (.png, .jpg, .tif)")
    p.add_argument("--settings", metavar="FILE", help="load settings from a JSON file or an image this program wrote")
    p.add_argument("--overwrite", action="store_true", help="replace the output file if it exists")
    p.add_argument("--preset", choices=sorted(PRESETS), help="start from a named preset (--photoreal implies 'photoreal'); "
                   "explicit flags override it")
    p.add_argument("--save-every", type=_named(int, "whole number"), default=0, metavar="N", help="also save the image every N iterations")
    p.add_argument("--bits", type=int, choices=(8, 16), default=8, help="bits per channel (16 for PNG/TIFF)")
    p.add_argument(
        "--reconstruct", choices=("content", "style"),
        help="Figure 1 of Gatys et al.: from noise, match only the content (or only the style) of the chosen layers",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--content-mask", metavar="PNG", help="label image over the content: one colour per region")
    p.add_argument("--style-mask", metavar="PNG", action="append",
                   help="label image over a style image, once per style in order ('none' for no mask); a content "
                        "region takes its style from the style image whose mask has the same colour")
    groups: dict[str, argparse._ArgumentGroup] = {}
    for f in option_fields():
        meta = f.metadata
        group = groups.setdefault(meta.get("group", "Options"), p.add_argument_group(meta.get("group", "Options")))
        default = getattr(Settings(), f.name)
        shown = default
        if isinstance(default, dict):
            shown = ",".join(f"{k}:{v:g}" for k, v in default.items())
        elif isinstance(default, list):
            shown = ",".join(map(str, default)) or "equal"
        flag = "--" + f.name.replace("_", "-")
        if isinstance(default, bool):  # --photoreal / --no-photoreal
            group.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS,
                               help=f"{meta['help']} (default: {'on' if default else 'off'})")
            continue
        group.add_argument(
            flag, dest=f.name, type=_converter(default), choices=meta.get("choices"),
            default=argparse.SUPPRESS, help=f"{meta['help']} (default: {shown})",
        )
    return p


def settings_from_args(args: argparse.Namespace) -> Settings:
    base = Settings()
    if args.settings:
        base = load_settings_file(args.settings)
    given = {f.name: getattr(args, f.name) for f in option_fields() if hasattr(args, f.name)}
    if "quality" not in given and ({"iterations", "scales", "scale_iterations"} & set(given)):
        given["quality"] = "custom"  # counts the user spelled out are run as given
    preset = args.preset or ("photoreal" if given.get("photoreal") else None)
    if preset:
        base = apply_preset(preset, base)
    settings = dataclasses.replace(base, **given)
    if args.reconstruct == "content":
        settings = settings.replace(init="noise", style_layers={})
    elif args.reconstruct == "style":
        settings = settings.replace(init="noise", content_layers={})
    return settings


MAX_SETTINGS_BYTES = 1 << 20  # a settings file is a few kB; anything near a megabyte is the wrong file


def load_settings_file(path: str) -> Settings:
    from .images import check_readable_file, read_settings_text

    p = Path(path)
    check_readable_file(p, "Settings file", "a .json file or an image this program wrote")
    if p.suffix.lower() == ".json" and p.stat().st_size > MAX_SETTINGS_BYTES:
        raise StyleError(f"Settings file {p} is {p.stat().st_size / 2**20:.0f} MB, far too large for settings; "
                         "give the .json file this program wrote.")
    text = p.read_text(errors="replace") if p.suffix.lower() == ".json" else read_settings_text(p)
    if not text:
        raise StyleError(f"{p} holds no Neural Style Studio settings; give a .json file or an image this program wrote.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StyleError(f"Settings file {p} is not valid JSON ({exc.msg} at line {exc.lineno}); fix or re-save it.") from None
    if not isinstance(data, dict):
        raise StyleError(f"Settings file {p} must hold a JSON object of setting names and values.")
    data = data.get("settings", data)
    try:
        return Settings.from_dict(data)
    except TypeError as exc:
        raise StyleError(f"Settings file {p} is not usable: {exc}.") from None


class Bar:
    """A one-line progress bar on stderr: iteration, loss, it/s and ETA."""

    def __init__(self, quiet: bool):
        self.quiet, self.tty = quiet, sys.stderr.isatty()
        self.last_line = 0.0

    def __call__(self, p) -> None:
        if self.quiet or p.iteration == 0:  # iteration 0 is the start image, for windows
            return
        rate = p.iteration / p.elapsed if p.elapsed > 0 else 0.0
        eta = (p.total - p.iteration) / rate if rate > 0 else 0.0
        filled = int(30 * p.iteration / max(1, p.total))
        stage = f"[{p.stage_index + 1}/{p.stages} {p.stage}] " if p.stages > 1 else ""
        line = (
            f"\r{stage}[{'#' * filled}{'.' * (30 - filled)}] {p.iteration}/{p.total} "
            f"loss {p.loss:.4g}  {rate:.2f} it/s  ETA {int(eta) // 60}:{int(eta) % 60:02d} "
        )
        now = time.monotonic()
        if self.tty:
            sys.stderr.write(line)
            sys.stderr.flush()
        elif now - self.last_line > 5 or p.iteration == p.total:
            sys.stderr.write(line.strip() + "\n")
            self.last_line = now

    def done(self) -> None:
        if self.tty and not self.quiet:
            sys.stderr.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except StyleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print("error: ran out of memory; try a smaller --size.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # anything the up-front checks could not foresee
        print(f"error: {exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}; "
              "check the files and folders named on the command line.", file=sys.stderr)
        return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    from .images import check_output_path, load_image
    from .transfer import output_size, stylize

    settings = settings_from_args(args)
    out = check_output_path(args.output, args.overwrite)
    if args.bits == 16 and out.suffix.lower() in (".jpg", ".jpeg"):
        raise StyleError("JPEG cannot store 16 bits per channel; use .png or .tif for --bits 16.")
    if args.save_every < 0:
        raise StyleError("--save-every must be 0 or more.")
    settings.validate(len(args.styles))
    content = None if args.content.lower() == "none" else load_image(args.content, "Content image")
    styles = [load_image(s, "Style image") for s in args.styles]
    masks = _load_masks(args, len(styles))
    out_wh = output_size(content.rgb if content else None, [s.rgb for s in styles], settings.output_size)
    _check_memory(out_wh, settings, tileable=masks[0] is None and not settings.photoreal and not settings.local_window)
    check_before_work(args, out, settings, content, styles, out_wh)

    stop = {"flag": False, "signal": signal.SIGINT}

    def on_signal(signum, frame):  # the first stops the run; further ones wait for the save
        if not stop["flag"]:
            stop["flag"], stop["signal"] = True, signum

    bar = Bar(args.quiet)
    record = {"settings": settings.to_dict(), "content": args.content, "styles": args.styles}
    settings_json = json.dumps(record, indent=1)

    snapshots = Snapshots(out, args, settings_json)

    def progress(p):
        bar(p)
        if args.save_every and p.preview is not None and 0 < p.iteration < p.total and p.iteration % args.save_every == 0:
            snapshots.save(p)

    if args.save_every:
        settings = settings.replace(preview_every=args.save_every)
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = stylize(
            content.rgb if content else None, [s.rgb for s in styles], settings,
            content_mask=masks[0], style_masks=masks[1], progress=progress, should_stop=lambda: stop["flag"],
        )
        for s in previous:
            signal.signal(s, on_signal if stop["flag"] else signal.SIG_IGN)  # nothing interrupts the save
        bar.done()
        written, problem = save_result(out, result.image, content.alpha if content else None, bits=args.bits,
                                       settings_json=settings_json, overwrite=args.overwrite)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    for note in result.notes:
        print(f"note: {note}.", file=sys.stderr)
    if problem:
        print(f"error: could not write {out} ({problem}); saved the result to {written} instead.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if result.cancelled:
        code = 128 + stop["signal"]
        print(f"Interrupted after {result.iterations} iterations; saved the best image so far to {out}.", file=sys.stderr)
        return code
    if result.stopped_reason:
        print(f"Stopped early: {result.stopped_reason}. Saved the best image to {out}.", file=sys.stderr)
    elif not args.quiet and result.iterations == 0:
        print(f"Saved {out} (no optimisation: the start image as it is).", file=sys.stderr)
    elif not args.quiet:
        print(f"Saved {out} ({result.iterations} iterations, loss {result.loss:.4g}).", file=sys.stderr)
    return EXIT_OK


def _check_memory(size_wh, settings, tileable: bool) -> None:
    """Fail before any work when the output cannot be made in memory, even in tiles."""
    from .device import pick_device
    from .memory import fit_history, whole_image_fits

    try:
        fit_history(size_wh, settings)
    except StyleError:
        if not tileable or not whole_image_fits(size_wh, pick_device(settings.device)):
            raise
        print(f"note: {max(size_wh)} px does not fit in memory at once; the last pass runs in tiles.", file=sys.stderr)


def _load_masks(args, n_styles):
    """Label images as uint8 RGB arrays: (content mask, [style masks])."""
    import numpy as np

    from .images import load_image

    if not args.content_mask and not args.style_mask:
        return None, None
    if args.style_mask and len(args.style_mask) != n_styles:
        raise StyleError(f"Give --style-mask once per style image ({n_styles}), in the same order; got {len(args.style_mask)}.")
    if args.content_mask is None:
        raise StyleError("--style-mask needs a --content-mask that says which region takes which style.")
    as_label = lambda p, what: (np.round(load_image(p, what).rgb * 255)).astype(np.uint8)
    content = as_label(args.content_mask, "Content mask")
    styles = [as_label(p, f"Mask of style image {i + 1}") if p.lower() != "none" else None
              for i, p in enumerate(args.style_mask or [])]
    return content, styles


def mix_main(argv: list[str] | None = None) -> int:
    from .cli_mix import mix_main as run_mix

    return run_mix(argv)
