"""--save-every in both commands: one check of its value, and its snapshots counted in the disk check."""

from pathlib import Path

import pytest

from cli import batch, render

ROOT = Path(__file__).resolve().parents[2]
CAT = str(ROOT / "resources/samples/chelsea.png")  # 451 x 300, RGB
STARRY = str(ROOT / "resources/samples/van_gogh_starry_night_1889.jpg")
WAVE = str(ROOT / "resources/samples/hokusai_great_wave_off_kanagawa.png")


def exit_and_err(capsys, main, args) -> tuple:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "main, args, prog",
    [
        (render.main, [CAT, STARRY, "-o", "{tmp}/o.png"], "main.py render"),
        (batch.main, [CAT, "--style", STARRY, "-o", "{tmp}/out"], "main.py batch"),
    ],
)
def test_a_negative_save_every_is_one_sentence_in_both_commands(tmp_path, capsys, main, args, prog):
    args = [a.format(tmp=tmp_path) for a in args]
    code, err = exit_and_err(capsys, main, [*args, "--size", "64", "--save-every", "-1"])
    assert code == 2
    assert err == f"error: argument --save-every: must be 0 or more; see '{prog} --help'.\n"
    assert list(tmp_path.iterdir()) == []


def test_a_batch_whose_snapshots_would_not_fit_is_refused_before_the_run(tiny_disk, capsys):
    out = tiny_disk / "out"
    quick = ["--quality", "custom", "--size", "64", "--seed", "3", "-q"]
    args = [CAT, "--style", STARRY, WAVE, "-o", out, *quick, "--iterations", "60", "--save-every", "1"]
    code, err = exit_and_err(capsys, batch.main, args)
    # Two jobs, each its output and 60 snapshots of 64 x 43 px: 3 bytes a pixel and 64 KiB of headers each.
    need = 2 * (1 + 60) * (64 * round(300 * 64 / 451) * 3 + 64 * 1024)
    assert code == 2, err
    assert err.startswith(f"error: The disk holding {tiny_disk} has ") and err.count("\n") == 1
    assert f"the outputs and their snapshots may need about {need / 2**20:.1f} MB; free some space" in err
    assert list(tiny_disk.iterdir()) == []  # refused before the run: no folder, no record
    code, err = exit_and_err(capsys, batch.main, [*args[:-3], "2", "--save-every", "1"])  # 2 x 3 images fit
    assert code == 0, err
    assert {p.name for p in out.iterdir()} == {
        f"chelsea__{style}{tag}.png"
        for style in ("van_gogh_starry_night_1889", "hokusai_great_wave_off_kanagawa")
        for tag in ("", "_0001")
    } | {"batch.json"}
