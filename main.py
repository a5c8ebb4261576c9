"""Neural Style Studio: `python main.py` opens the window;
`python main.py render CONTENT STYLE -o OUT` renders without one;
`python main.py mix-scales COARSE FINE -o OUT` makes a scale-mixed style image;
`python main.py batch CONTENT... --style STYLE... -o OUTDIR` renders every pair;
`python main.py video INPUT STYLE... -o OUT` stylises a video, frame to frame consistent;
`python main.py --self-test` checks the installed application end to end."""

from __future__ import annotations

import sys
from pathlib import Path

COMMANDS = ("render", "mix-scales", "batch", "video")


def main(argv: list[str] | None = None) -> int:
    from engine import openmp  # local: before anything imports torch

    openmp.apply()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--version"]:
        from engine import __version__  # local: the version alone, before any window or command

        print(f"Neural Style Studio {__version__}")
        return 0
    if argv and argv[0] in COMMANDS:
        return headless(argv[0], argv[1:])
    if argv and not_a_command(argv[0]):
        print(
            f"error: {argv[0]!r} is not a command: give render, batch, video or mix-scales, or image files "
            "to open in the window; see 'main.py --help'.",
            file=sys.stderr,
        )
        return 2
    try:
        from gui.app import run_app
    except ImportError as exc:  # the window is not installed: render the sample instead
        if "gui" not in str(exc) and "PySide6" not in str(exc):
            raise
        return render_sample()
    return run_app(argv)


def not_a_command(word: str) -> bool:
    """A mistyped command ('rendr'): no option, no file name, nothing on disk. The window
    would open on it (or, with no display, abort with Qt's page-long message)."""
    return not word.startswith("-") and not Path(word).suffix and not Path(word).exists()


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM before the run's own handlers take over (loading torch, the network)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum, frame):
    raise Interrupted(signum)


def headless(command: str, argv: list[str]) -> int:
    """The commands without a window: signals are caught before the heavy imports,
    so an early Ctrl-C or SIGTERM ends with one line, not a traceback."""
    import signal

    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, _interrupt)
    try:
        if command == "batch":
            from cli.batch import main as batch_main

            return batch_main(argv)
        if command == "video":
            from cli.video import main as video_main

            return video_main(argv)
        from cli.mix import mix_main
        from cli.render import main as render_main

        return (render_main if command == "render" else mix_main)(argv)
    except KeyboardInterrupt as exc:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("Interrupted before the run started; nothing was written.", file=sys.stderr)
        return 128 + getattr(exc, "signum", signal.SIGINT)


def render_sample() -> int:
    from cli.render import main as render_main
    from resources import sample_path

    out = Path.home() / "Pictures" / "Neural Style Studio"
    out.mkdir(parents=True, exist_ok=True)
    target = out / "sample.png"
    code = render_main(
        [
            str(sample_path("content")),
            str(sample_path("style")),
            "-o",
            str(target),
            "--overwrite",
            "--iterations",
            "150",
            "--size",
            "384",
        ]
    )
    if code == 0:
        print(f"The window is not available; rendered the built-in sample to {target}")
    return code


if __name__ == "__main__":
    sys.exit(main())
