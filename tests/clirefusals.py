"""What the command tests share: the sample images, a quick run's options and
`refused`, which runs a command in process and checks it refused in one sentence."""

from pathlib import Path

from PIL import Image

from cli.render import main as render_main

ROOT = Path(__file__).resolve().parent.parent
CAT = str(ROOT / "resources/samples/chelsea.png")
STARRY = str(ROOT / "resources/samples/van_gogh_starry_night_1889.jpg")
QUICK = ["--size", "64", "--iterations", "2", "-q"]


def size_of(path) -> tuple:
    with Image.open(path) as im:
        return im.size


def refused(capsys, folder: Path, *args, message: str, main=None):
    """`main` (the render command's by default) refuses args: exit 2, one line on stderr
    that holds `message`, no traceback, and nothing written or left behind in folder."""
    main = main or render_main
    before = sorted(p.name for p in folder.rglob("*"))
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in folder.rglob("*")) == before  # nothing written, nothing left behind
    return err
