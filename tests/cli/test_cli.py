"""The headless command: every bad input gets one sentence and exit code 2."""

import json
import os
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cli import render as cli
from engine import __version__
from engine.image.write import read_settings_text

ROOT = Path(__file__).resolve().parents[2]
CAT = str(ROOT / "resources/samples/chelsea.png")
STARRY = str(ROOT / "resources/samples/van_gogh_starry_night_1889.jpg")
QUICK = ["--size", "64", "--iterations", "3", "-q"]


def run_cli(capsys, *args):
    code = cli.main([str(a) for a in args])
    err = capsys.readouterr().err
    return code, err


@pytest.fixture
def out(tmp_path):
    return tmp_path / "out.png"


def _bad_inputs(tmp_path):
    notimg = tmp_path / "notes.png"
    notimg.write_text("just text")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(Path(CAT).read_bytes()[:2000])
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (16, 16)).save(tiny)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    return {
        "missing": ([tmp_path / "nope.jpg", STARRY], "does not exist"),
        "not-image": ([notimg, STARRY], "not an image"),
        "truncated": ([truncated, STARRY], "damaged or truncated"),
        "tiny": ([tiny, STARRY], "at least 32 px"),
        "bad-layer": ([CAT, STARRY, "--style-layers", "relu9_9"], "Unknown layer 'relu9_9'"),
        "negative-weight": ([CAT, STARRY, "--tv-weight", "-1"], "must not be negative"),
        "nan-weight": ([CAT, STARRY, "--content-weight", "nan"], "must be a number"),
        "nan-layer-weight": ([CAT, STARRY, "--style-layers", "relu1_1:nan"], "must be a number"),
        "blend-count": ([CAT, STARRY, "--style-blend", "1,2"], "one weight per style image"),
        "unwritable": ([CAT, STARRY, "-o", locked / "x.png"], "not writable"),
        "no-folder": ([CAT, STARRY, "-o", tmp_path / "nowhere" / "x.png"], "does not exist"),
        "too-big": ([CAT, STARRY, "--photoreal", "--size", "16384"], "largest size that fits"),
        "bad-settings": ([CAT, STARRY, "--settings", notimg], "holds no Neural Style Studio settings"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "not-image",
        "truncated",
        "tiny",
        "bad-layer",
        "negative-weight",
        "nan-weight",
        "nan-layer-weight",
        "blend-count",
        "unwritable",
        "no-folder",
        "too-big",
        "bad-settings",
    ],
)
def test_bad_input_gets_one_sentence_and_exit_2(tmp_path, capsys, out, case):
    if case == "unwritable" and os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    args, message = _bad_inputs(tmp_path)[case]
    if "-o" not in args:
        args = args + ["-o", out]
    code, err = run_cli(capsys, *QUICK, *args)  # the case's own flags come last and win
    assert code == 2
    assert message in err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_existing_output_is_not_overwritten_without_the_flag(capsys, out):
    out.write_bytes(b"mine")
    code, err = run_cli(capsys, CAT, STARRY, "-o", out, *QUICK)
    assert code == 2 and "--overwrite" in err and out.read_bytes() == b"mine"
    code, _ = run_cli(capsys, CAT, STARRY, "-o", out, "--overwrite", *QUICK)
    assert code == 0 and out.read_bytes()[:4] == b"\x89PNG"


def test_settings_are_embedded_and_load_again(tmp_path, capsys, out):
    code, _ = run_cli(capsys, CAT, STARRY, "-o", out, "--seed", "7", "--style-layers", "relu1_1:1,relu2_1:0.5", *QUICK)
    assert code == 0
    saved = json.loads(read_settings_text(out))["settings"]
    assert saved["seed"] == 7 and saved["style_layers"] == {"relu1_1": 1.0, "relu2_1": 0.5}
    # Loading the image's settings reproduces the picture exactly.
    again = tmp_path / "again.png"
    code, _ = run_cli(capsys, CAT, STARRY, "-o", again, "--settings", out, "-q")
    assert code == 0
    np.testing.assert_array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(again)))


def test_save_every_writes_intermediate_images(tmp_path, capsys, out):
    code, _ = run_cli(capsys, CAT, STARRY, "-o", out, "--size", "64", "--iterations", "4", "--save-every", "2", "-q")
    assert code == 0
    assert (tmp_path / "out_0002.png").is_file() and out.is_file()


def test_help_documents_every_setting():
    from engine.settings import option_fields

    text = cli.build_parser().format_help()
    for f in option_fields():
        assert "--" + f.name.replace("_", "-") in text


def test_end_to_end_in_a_subprocess_with_ctrl_c_saving_the_best_image(tmp_path):
    out = tmp_path / "cut.jpg"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "render",
            CAT,
            STARRY,
            "-o",
            str(out),
            "--size",
            "96",
            "--iterations",
            "500",
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    # Wait for the progress bar to show the run has started (or the process to end), then press Ctrl-C.
    seen = ""
    while "/500" not in seen:
        char = proc.stderr.read(1)
        if not char:
            break
        seen += char
    proc.send_signal(signal.SIGINT)
    err = seen + proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, err
    assert "saved the best image so far" in err and "Traceback" not in err
    with Image.open(out) as im:
        assert im.size == (96, 64)
    assert (tmp_path / "cut.jpg.json").is_file()


def test_version_is_printed_without_a_window_and_is_the_packages_own():
    """`main.py --version` opened the window; the version lives once, in engine.__version__."""
    done = subprocess.run([sys.executable, "main.py", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"Neural Style Studio {__version__}\n", "")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "engine.__version__"}
