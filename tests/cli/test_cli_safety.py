"""Issue 12, sections 3-5: hostile input, output problems found before the run, signals.

Every refusal is one sentence on stderr, exit 2, no traceback, nothing written.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from cli import render as cli
from clirefusals import CAT, QUICK, ROOT, STARRY, refused, size_of


@pytest.fixture
def images(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name, size in {"pan4.png": (256, 64), "pan16.png": (1024, 64), "thin.png": (32, 2000)}.items():
        Image.new("RGB", size, (180, 90, 40)).save(src / name)
    return src


@pytest.mark.parametrize(
    "args, message",
    [
        (["--size", "32"], "use --size 48 or more"),
        (["--size", "-5"], "--size must be between 32 and 16384 pixels, not -5."),
        (["--style-scale", "0.0001"], "use --style-scale 0.63 or more"),
        (["--style-scale", "1000"], "the largest --style-scale that fits is about"),
        (["--local-window", "10001"], "--local-window must be at most 64"),
        (["--style-strength", "400"], "--style-strength must be between -12 and 12"),
        (["--scales", "nan"], "--scales must list whole numbers"),
        (["--scales", "inf"], "--scales must list whole numbers"),
        (["--seed", str(2**63 + 5)], "--seed must be between 0 and"),
        (["--photoreal-stage1", "-1"], "--photoreal-stage1 must be a whole number of 0 or more"),
        (["--preview-every", "-1"], "--preview-every must be a whole number of 0 or more"),
        (["--content-weight", "nan"], "must be a number"),
        (["--tv-weight", "inf"], "must be a number"),
        (["--style-blend", "nan"], "style blend weight must be a number"),
    ],
)
def test_bad_settings_are_refused_up_front(tmp_path, capsys, args, message):
    refused(capsys, tmp_path, CAT, STARRY, "-o", tmp_path / "out.png", *QUICK, *args, message=message)


@pytest.mark.parametrize(
    "content, size, message",
    [
        ("pan4.png", "64", "use --size 126 or more"),
        ("pan16.png", "64", "use --size 504 or more"),
    ],
)
def test_panoramas_too_small_for_the_network_name_the_smallest_size(tmp_path, capsys, images, content, size, message):
    refused(
        capsys, tmp_path, images / content, STARRY, "-o", tmp_path / "out.png", *QUICK, "--size", size, message=message
    )


def test_the_smallest_size_named_works(tmp_path, capsys, images):
    out = tmp_path / "out.png"
    assert cli.main([str(images / "pan4.png"), STARRY, "-o", str(out), *QUICK, "--size", "126"]) == 0
    assert size_of(out) == (126, 32)


def test_thin_style_image_names_the_style_scale_that_works(tmp_path, capsys, images):
    refused(
        capsys,
        tmp_path,
        CAT,
        images / "thin.png",
        "-o",
        tmp_path / "out.png",
        *QUICK,
        message="use --style-scale 31.25 or more",
    )


def test_settings_file_with_wrong_types_or_unknown_keys(tmp_path, capsys):
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"size": "big"}))
    refused(
        capsys,
        tmp_path,
        CAT,
        STARRY,
        "-o",
        tmp_path / "o.png",
        "--settings",
        wrong,
        message=f"In settings file {wrong}: --size must be a whole number, not 'big'.",
    )
    layers = tmp_path / "layers.json"
    layers.write_text(json.dumps({"style_layers": ["relu1_1"]}))
    refused(
        capsys,
        tmp_path,
        CAT,
        STARRY,
        "-o",
        tmp_path / "o.png",
        "--settings",
        layers,
        message="--style-layers must be a list of layer:weight pairs",
    )
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"colour": "none"}))
    refused(
        capsys,
        tmp_path,
        CAT,
        STARRY,
        "-o",
        tmp_path / "o.png",
        "--settings",
        unknown,
        message=f"In settings file {unknown}: unknown setting(s) colour",
    )


def test_output_name_too_long_or_a_folder(tmp_path, capsys):
    refused(
        capsys,
        tmp_path,
        CAT,
        STARRY,
        "-o",
        tmp_path / ("a" * 300 + ".png"),
        *QUICK,
        message="is too long for this file system",
    )
    (tmp_path / "taken.png").mkdir()
    refused(capsys, tmp_path, CAT, STARRY, "-o", tmp_path / "taken.png", *QUICK, message="is a folder")
    refused(capsys, tmp_path, CAT, STARRY, "-o", "/proc/out.png", *QUICK, message="is not writable")


def test_fifo_and_device_are_refused_not_read(tmp_path, capsys):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    refused(capsys, tmp_path, fifo, STARRY, "-o", tmp_path / "o.png", *QUICK, message="is not a regular file")
    refused(capsys, tmp_path, CAT, "/dev/zero", "-o", tmp_path / "o.png", *QUICK, message="is not a regular file")


@pytest.mark.parametrize("option", ["--settings", "--weights"])
def test_settings_and_weights_files_that_are_not_files_are_named_as_such(tmp_path, capsys, option):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    out = ["-o", tmp_path / "o.png", *QUICK]
    refused(capsys, tmp_path, CAT, STARRY, *out, option, fifo, message="is not a regular file (a pipe or a device)")
    refused(capsys, tmp_path, CAT, STARRY, *out, option, "/dev/null", message="is not a regular file")
    refused(capsys, tmp_path, CAT, STARRY, *out, option, tmp_path, message="is a folder")


def test_an_empty_output_name_asks_for_one(tmp_path, capsys):
    refused(capsys, tmp_path, CAT, STARRY, "-o", "", *QUICK, message="The output name is empty")


def test_a_huge_settings_file_is_refused_unread(tmp_path, capsys):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (3 << 20))
    refused(
        capsys,
        tmp_path,
        CAT,
        STARRY,
        "-o",
        tmp_path / "o.png",
        *QUICK,
        "--settings",
        big,
        message="far too large for settings",
    )


def test_image_over_the_pixel_limit_says_the_limit_and_its_size(tmp_path, capsys):
    from engine.image.io import pixel_limit

    side = int(pixel_limit() ** 0.5) + 100
    huge = tmp_path / "huge.png"
    Image.new("1", (side, side)).save(huge)
    err = refused(capsys, tmp_path, huge, STARRY, "-o", tmp_path / "o.png", *QUICK, message=f"{side}x{side}")
    assert f"the limit is {pixel_limit() / 1e6:.1f} megapixels" in err


def test_permission_denied_says_so(tmp_path, capsys):
    locked = tmp_path / "locked.png"
    Image.new("RGB", (64, 64)).save(locked)
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        pytest.skip("root reads any file")  # pragma: no cover
    refused(capsys, tmp_path, locked, STARRY, "-o", tmp_path / "o.png", *QUICK, message="permission denied")


def test_bad_option_is_one_line_with_a_hint(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([CAT, STARRY, "-o", "x.png", "--sise", "64"])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err == "error: unrecognized arguments: --sise 64; see 'main.py render --help'.\n"
    with pytest.raises(SystemExit):
        cli.main([CAT, STARRY, "-o", "x.png", "--style-layers", "relu1_1:x"])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "parse_layers" not in err and "Layer weight 'x'" in err


@pytest.mark.parametrize(
    "fault, message",
    [("shape", "does not match the network: conv layer 1 is 4x3x3x3"), ("nan", "holds NaN or infinite values")],
)
def test_weights_file_with_wrong_shapes_or_nan(tmp_path, capsys, fault, message):
    import torch

    state, previous = {}, 3
    for i in range(16):  # a VGG-19-shaped file with 4 channels a layer: cheap to write
        state[f"features.{2 * i}.weight"] = torch.full((4, previous, 3, 3), float("nan") if fault == "nan" else 0.1)
        state[f"features.{2 * i}.bias"] = torch.zeros(4)
        previous = 4
    if fault == "nan":
        state["features.0.weight"] = torch.full((64, 3, 3, 3), float("nan"))
        state["features.0.bias"] = torch.zeros(64)
    bad = tmp_path / "vgg.pth"
    torch.save(state, bad)
    refused(capsys, tmp_path, CAT, STARRY, "-o", tmp_path / "o.png", *QUICK, "--weights", bad, message=message)


def test_sidecar_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "o.jpg"
    (tmp_path / "o.jpg.json").write_text("mine")
    refused(capsys, tmp_path, CAT, STARRY, "-o", out, *QUICK, message="o.jpg.json already exists")
    assert (tmp_path / "o.jpg.json").read_text() == "mine"


def test_leftover_snapshot_neither_stops_the_run_nor_is_replaced(tmp_path, capsys):
    out = tmp_path / "o.png"
    (tmp_path / "o_0001.png").write_bytes(b"old")
    assert cli.main([CAT, STARRY, "-o", str(out), *QUICK, "--save-every", "1"]) == 0
    assert (tmp_path / "o_0001.png").read_bytes() == b"old"
    assert (tmp_path / "o_0001-2.png").is_file() and out.is_file()


def test_full_disk_is_found_before_the_run(tiny_disk, capsys):
    refused(
        capsys,
        tiny_disk,
        CAT,
        STARRY,
        "-o",
        tiny_disk / "o.png",
        "--size",
        "2048",
        "--iterations",
        "1",
        message="free some space or choose another folder",
    )


# --- subprocess runs: signals and faults during the run -------------------------------


def start(tmp_path, out, *extra, home=None, iterations="20000"):
    env = dict(os.environ, HOME=str(home or tmp_path / "home"), PYTHONUNBUFFERED="1")
    Path(env["HOME"]).mkdir(exist_ok=True)
    cmd = [
        sys.executable,
        str(ROOT / "main.py"),
        "render",
        CAT,
        STARRY,
        "-o",
        str(out),
        "--size",
        "64",
        "--iterations",
        iterations,
        "-q",
        *extra,
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, proc) -> None:
    """Until the run has written its first snapshot (the run is under way)."""
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read()
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            pass


def finish(proc, lines=1):
    err = proc.stderr.read()
    code = proc.wait()
    proc.stderr.close()
    assert "Traceback" not in err and err.count("\n") == lines, err
    return code, err


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_saves_the_best_image_and_second_one_waits(tmp_path, sig, code):
    out = tmp_path / "o.png"
    proc = start(tmp_path, out, "--save-every", "1")
    wait_for(tmp_path / "o_0001.png", proc)
    proc.send_signal(sig)
    proc.send_signal(sig)  # a second one while the result is being saved is ignored
    got, err = finish(proc)
    assert got == code and "saved the best image so far" in err
    assert size_of(out) == (64, 43)
    assert not list(tmp_path.glob(".nss-*"))


def test_ctrl_c_during_start_up_is_one_line(tmp_path):
    out = tmp_path / "o.png"
    proc = start(tmp_path, out)
    maps = Path(f"/proc/{proc.pid}/maps")
    while "libtorch" not in maps.read_text():  # torch is being loaded: our handler is in place
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=0.01)
    proc.send_signal(signal.SIGINT)
    got, err = finish(proc)
    assert got == 130
    assert err.startswith("Interrupted")


def test_output_file_appearing_during_the_run_is_kept_and_result_saved_beside(tmp_path):
    out = tmp_path / "o.png"
    proc = start(tmp_path, out, "--save-every", "1")
    wait_for(tmp_path / "o_0001.png", proc)
    out.write_bytes(b"someone else's")
    proc.send_signal(signal.SIGINT)
    got, err = finish(proc)
    assert got == 2 and "a file of that name appeared during the run" in err
    assert out.read_bytes() == b"someone else's"
    assert size_of(tmp_path / "o-2.png") == (64, 43) and str(tmp_path / "o-2.png") in err


def test_folder_removed_during_the_run_saves_to_home(tmp_path):
    folder = tmp_path / "gone"
    folder.mkdir()
    proc = start(tmp_path, folder / "o.png", "--save-every", "1")
    wait_for(folder / "o_0001.png", proc)
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    proc.send_signal(signal.SIGINT)
    got, err = finish(proc, lines=2)  # a note that a snapshot could not be saved, then the error
    assert got == 2 and "its folder was removed during the run" in err
    assert size_of(tmp_path / "home" / "o.png") == (64, 43)


def test_disk_filling_during_the_run_saves_to_home_and_leaves_no_temp_file(tmp_path, tiny_disk):
    out = tiny_disk / "o.png"
    proc = start(tmp_path, out, "--save-every", "1", iterations="40")
    wait_for(tiny_disk / "o_0001.png", proc)
    with open(tiny_disk / "filler", "wb") as f:  # fill the disk while the run goes on
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    proc.send_signal(signal.SIGINT)  # interrupted or finished, the final save meets a full disk
    got, err = finish(proc, lines=2)
    assert "note: could not save a snapshot (no space left on device); the run goes on." in err
    assert got == 2 and "(no space left on device); saved the result to" in err, err
    assert size_of(tmp_path / "home" / "o.png") == (64, 43)
    assert not list(tiny_disk.glob(".nss-*"))
