"""The `render` command's options, built from Settings.

Every Settings field becomes a flag with the field's default and help text,
so the command line cannot drift from the engine.
"""

from __future__ import annotations

import argparse
import dataclasses

from engine.errors import StyleError
from engine.presets import PRESETS, apply_preset
from engine.settings import Settings, option_fields
from engine.settings_file import load_settings_file

from .common import Parser, named


def parse_layers(text: str) -> dict:
    """'relu4_2:1,relu5_1:0.5' -> {'relu4_2': 1.0, 'relu5_1': 0.5}; bare names weigh 1."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, weight = part.partition(":")
        try:
            out[name.strip()] = float(weight) if weight else 1.0
        except ValueError:
            raise StyleError(
                f"Layer weight {weight!r} for {name} is not a number; write layers as name:weight."
            ) from None
    return out


def parse_floats(text: str) -> list:
    try:
        return [float(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise StyleError(f"{text!r} is not a comma-separated list of numbers.") from None


def _converter(default):
    if isinstance(default, dict):
        return named(parse_layers, "layer list")
    if isinstance(default, list):
        return named(parse_floats, "number list")
    return {int: named(int, "whole number"), float: named(float, "number")}.get(type(default), type(default))


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
    p.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        help="start from a named preset (--photoreal implies 'photoreal'); explicit flags override it",
    )
    p.add_argument(
        "--save-every",
        type=named(int, "whole number"),
        default=0,
        metavar="N",
        help="also save the image every N iterations",
    )
    p.add_argument("--bits", type=int, choices=(8, 16), default=8, help="bits per channel (16 for PNG/TIFF)")
    p.add_argument(
        "--reconstruct",
        choices=("content", "style"),
        help="Figure 1 of Gatys et al.: from noise, match only the content (or only the style) of the chosen layers",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--content-mask", metavar="PNG", help="label image over the content: one colour per region")
    p.add_argument(
        "--style-mask",
        metavar="PNG",
        action="append",
        help="label image over a style image, once per style in order ('none' for no mask); a content "
        "region takes its style from the style image whose mask has the same colour",
    )
    add_settings_options(p)
    return p


def add_settings_options(p: argparse.ArgumentParser) -> None:
    """One flag per Settings field, grouped as the window groups them (render, video)."""
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
            group.add_argument(
                flag,
                dest=f.name,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=f"{meta['help']} (default: {'on' if default else 'off'})",
            )
            continue
        group.add_argument(
            flag,
            dest=f.name,
            type=_converter(default),
            choices=meta.get("choices"),
            default=argparse.SUPPRESS,
            help=f"{meta['help']} (default: {shown})",
        )


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
