"""`python main.py mix-scales COARSE FINE -o OUT`: a new style image (scale mixing),
with the same up-front checks, signals and safe save as `render`."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from engine.image.io import load_image
from engine.image.write import check_output_path
from engine.pipeline.checks import check_sizes
from engine.settings import Settings

from .checks import check_disk, check_not_an_input, save_result
from .common import EXIT_BAD_INPUT, EXIT_OK, Parser, guarded, named
from .options import parse_layers
from .progress import Bar


def build_mix_parser() -> Parser:
    p = Parser(
        prog="main.py mix-scales",
        description=(
            "Make a style image with the coarse structure of COARSE and the fine strokes of FINE "
            "(Gatys et al. 2017); use the result as a STYLE for render."
        ),
    )
    p.add_argument("coarse", metavar="COARSE")
    p.add_argument("fine", metavar="FINE")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--size", type=named(int, "whole number"), default=512, help="long side of the new style image")
    p.add_argument("--iterations", type=named(int, "whole number"), default=200)
    p.add_argument("--layers", default="relu1_1,relu2_1", help="layers whose statistics come from FINE")
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("-q", "--quiet", action="store_true")
    return p


def mix_main(argv: list[str] | None = None) -> int:
    return guarded(_run, build_mix_parser().parse_args(argv))


def _run(args) -> int:
    from engine.api import FINE_LAYERS, mix_scales, output_size  # local: imports torch (start-up time)

    out = check_output_path(args.output, args.overwrite)
    check_not_an_input(out, {"the coarse image": args.coarse, "the fine image": args.fine})
    layers = parse_layers(args.layers)
    settings = Settings(
        size=args.size, iterations=args.iterations, content_layers={}, style_layers=layers or dict(FINE_LAYERS)
    )
    coarse, fine = load_image(args.coarse, "Coarse image"), load_image(args.fine, "Fine image")
    check_sizes(coarse.rgb.shape[:2], [fine.rgb.shape[:2]], settings)
    wh = output_size(coarse.rgb, [], settings.size)
    check_disk(Path(out), wh, 8, False, 0)
    stop = {"flag": False, "signal": signal.SIGINT}

    def on_signal(signum, frame):
        if not stop["flag"]:
            stop["flag"], stop["signal"] = True, signum

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    bar = Bar(args.quiet)
    try:
        result = mix_scales(
            coarse.rgb,
            fine.rgb,
            Settings(size=args.size, iterations=args.iterations),
            layers=layers,
            progress=bar,
            should_stop=lambda: stop["flag"],
        )
        bar.done()
        for s in previous:
            signal.signal(s, on_signal if stop["flag"] else signal.SIG_IGN)
        written, problem = save_result(out, result.image, None, bits=8, settings_json="", overwrite=args.overwrite)
    finally:
        bar.done()  # however the run ended, the next message starts on its own line
        for s, handler in previous.items():
            signal.signal(s, handler)
    if problem:
        print(f"error: could not write {out} ({problem}); saved the result to {written} instead.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if result.cancelled:
        print(f"Interrupted; saved the image so far to {written}.", file=sys.stderr)
        return 128 + stop["signal"]
    if not args.quiet:
        print(f"Saved {written}; use it as a style image.", file=sys.stderr)
    return EXIT_OK
