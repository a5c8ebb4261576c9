"""Neural Style Studio: `python main.py` opens the window;
`python main.py render CONTENT STYLE -o OUT` renders without one;
`python main.py mix-scales COARSE FINE -o OUT` makes a scale-mixed style image;
`python main.py --self-test` checks the installed application end to end."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "render":
        from engine.cli import main as render_main

        return render_main(argv[1:])
    if argv and argv[0] == "mix-scales":
        from engine.cli import mix_main

        return mix_main(argv[1:])
    try:
        from gui.app import run_app
    except ImportError as exc:  # the window is not installed: render the sample instead
        if "gui" not in str(exc) and "PySide6" not in str(exc):
            raise
        return render_sample()
    return run_app(argv)


def render_sample() -> int:
    from pathlib import Path

    from engine.cli import main as render_main
    from resources import sample_path

    out = Path.home() / "Pictures" / "Neural Style Studio"
    out.mkdir(parents=True, exist_ok=True)
    target = out / "sample.png"
    code = render_main([str(sample_path("content")), str(sample_path("style")), "-o", str(target), "--overwrite",
                        "--iterations", "150", "--size", "384"])
    if code == 0:
        print(f"The window is not available; rendered the built-in sample to {target}")
    return code


if __name__ == "__main__":
    sys.exit(main())
