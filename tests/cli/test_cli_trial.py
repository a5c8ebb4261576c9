"""A careless new user's commands: each refused before the run in one sentence
that names what is wrong and what to do (exit 2), nothing written, no input replaced."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from cli import batch, mix, video
from cli.common import guarded
from clirefusals import CAT, QUICK, ROOT, STARRY, refused, size_of


@pytest.mark.parametrize(
    "args, message",
    [
        # torch counts iterations in int64: 10**20 was a page of C++ frames
        (["--iterations", "99999999999999999999"], "--iterations must be at most 100000, not 99999999999999999999."),
        (["--photoreal", "--photoreal-stage1", "99999999999999999999"], "--photoreal-stage1 must be at most 100000"),
        # the m x m history matrices (80 GB) were not in the memory estimate: a traceback from the allocator
        (["--lbfgs-history", "100000"], "--lbfgs-history must be at most 1000, not 100000."),
        (["--optimizer", "adam", "--learning-rate", "0"], "--learning-rate must be greater than 0"),
    ],
)
def test_numbers_past_what_the_window_allows_are_refused(tmp_path, capsys, args, message):
    refused(capsys, tmp_path, CAT, STARRY, "-o", tmp_path / "o.png", *QUICK, *args, message=message)


def test_output_names_that_are_not_files_say_what_is_wrong(tmp_path, capsys):
    (tmp_path / "results").mkdir()
    (tmp_path / "notes.txt").write_text("a file")
    run = lambda out, message: refused(capsys, tmp_path, CAT, STARRY, "-o", out, *QUICK, message=message)
    # a folder with no suffix was told it "must end in .png"
    run(tmp_path / "results", f"{tmp_path / 'results'} is a folder; give a file name such as")
    run(f"{tmp_path / 'new'}/", "names a folder; give a file name such as")
    run(tmp_path / ".png", "has no name before .png; give a name such as result.png.")
    # a file in the folder's place was "Output folder ... does not exist"
    run(tmp_path / "notes.txt" / "o.png", "notes.txt is a file, not a folder")
    run(tmp_path / "notes.txt" / "sub" / "o.png", "notes.txt is a file, not a folder")


@pytest.mark.parametrize("role", ["content", "style"])
def test_overwrite_never_replaces_an_input(tmp_path, capsys, role):
    photo, painting = tmp_path / "photo.png", tmp_path / "painting.png"
    shutil.copy(CAT, photo)
    shutil.copy(STARRY, painting)
    before = photo.read_bytes(), painting.read_bytes()
    out = photo if role == "content" else painting
    what = "the content image" if role == "content" else "style image 1"
    message = f"Output {out} is {what} itself; choose another output name"
    refused(capsys, tmp_path, photo, painting, "-o", out, *QUICK, "--overwrite", message=message)
    refused(capsys, tmp_path, photo, painting, "-o", photo, "--overwrite", "-q", main=mix.mix_main, message="coarse")
    assert (photo.read_bytes(), painting.read_bytes()) == before


def test_empty_image_file_says_it_is_empty(tmp_path, capsys):
    empty = tmp_path / "photo.png"
    empty.write_bytes(b"")
    refused(capsys, tmp_path, empty, STARRY, "-o", tmp_path / "o.png", *QUICK, message="is empty (0 bytes)")


def test_a_mask_with_too_many_colours_is_named_by_its_file(tmp_path, capsys):
    w, h = size_of(CAT)
    regions = np.zeros((h, w, 3), np.uint8)
    regions[:, w // 2 :] = 255
    Image.fromarray(regions).save(tmp_path / "regions.png")
    sw, sh = size_of(STARRY)
    noise = np.random.default_rng(0).integers(0, 256, (sh, sw, 3), dtype=np.uint8)
    Image.fromarray(noise).save(tmp_path / "noise.png")
    args = ["--content-mask", tmp_path / "regions.png", "--style-mask", tmp_path / "noise.png"]
    message = f"Mask of style image 1 {tmp_path / 'noise.png'} has"  # was "The label mask has ...": which one?
    refused(capsys, tmp_path, CAT, STARRY, "-o", tmp_path / "o.png", *QUICK, *args, message=message)


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"settings": [1]}', 'has "settings" that is not a JSON object'),  # was "sequence item 0: expected str"
        ("\n", "is empty; give the .json file this program wrote"),
        ('{"style_layers": {"relu9_9": 1}}', "In settings file"),  # the user did not type --style-layers
    ],
)
def test_settings_file_faults_name_the_file(tmp_path, capsys, text, message):
    settings = tmp_path / "s.json"
    settings.write_text(text)
    refused(capsys, tmp_path, CAT, STARRY, "-o", tmp_path / "o.png", *QUICK, "--settings", settings, message=message)


def test_the_allocator_running_out_is_one_sentence(capsys):
    # torch says so in a RuntimeError, which MemoryError did not catch
    assert guarded(lambda args: torch.empty(2**60, dtype=torch.uint8), None) == 2
    assert capsys.readouterr().err == "error: ran out of memory; try a smaller --size or a lower --lbfgs-history.\n"
    with pytest.raises(RuntimeError, match="not memory"):  # any other RuntimeError is a bug to see
        guarded(lambda args: (_ for _ in ()).throw(RuntimeError("not memory")), None)


@pytest.mark.parametrize(
    "job, message",
    [
        ({"styles": [STARRY]}, 'has no "content"; give the photo\'s path, or "none" for texture'),  # rendered a texture
        ({"content": CAT, "styles": [STARRY], "setting": {}}, "has unknown key(s) setting; a job may have"),  # dropped
        ({"content": 5, "styles": [STARRY]}, 'has "content": 5; give the photo\'s path in quotes'),  # a traceback
        ({"content": CAT, "styles": [STARRY, 3]}, 'has "styles" that is not a list of file paths'),
        ({"content": CAT, "styles": [STARRY], "output": 7}, 'has "output": 7; give a file name in quotes'),
    ],
)
def test_a_jobs_file_with_a_faulty_job_is_refused(tmp_path, capsys, job, message):
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps([job]))
    out = tmp_path / "out"
    refused(
        capsys,
        tmp_path,
        "--jobs",
        jobs,
        "-o",
        out,
        *QUICK,
        main=batch.main,
        message=f"Job 1 of the jobs file {message}",
    )


def test_batch_input_folder_and_pseudo_file_system_output(tmp_path, capsys):
    out = tmp_path / "out"
    message = f"{tmp_path} (job chelsea__{tmp_path.name}.png) is a folder; give image files"  # was "does not exist"
    refused(capsys, tmp_path, CAT, "--style", tmp_path, "-o", out, *QUICK, main=batch.main, message=message)
    message = "Output folder /proc/out cannot be created (/proc is not writable)"  # was "has 0.0 MB free"
    refused(capsys, tmp_path, CAT, "--style", STARRY, "-o", "/proc/out", *QUICK, main=batch.main, message=message)


def main_py(*args) -> subprocess.CompletedProcess:
    # No display, as over ssh: a window that opens after all ends at once (Qt aborts) rather than waiting
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_a_mistyped_command_is_one_sentence_not_the_window():
    run = main_py("rendr", CAT, STARRY)  # the window opened on 'rendr' (here: Qt's abort)
    assert run.returncode == 2, run.stderr
    assert run.stderr == (
        "error: 'rendr' is not a command: give render, batch, video or mix-scales, or image files "
        "to open in the window; see 'main.py --help'.\n"
    )
    usage = main_py("--help")
    assert (
        usage.returncode == 0 and "main.py batch CONTENT..." in usage.stdout and "main.py video INPUT" in usage.stdout
    )


def test_video_on_a_full_disk_is_refused_before_the_first_frame(tiny_disk, tmp_path, capsys):
    frames = tmp_path / "frames"
    frames.mkdir()
    for k in range(3):
        Image.new("RGB", (96, 64), (40 * k, 90, 160)).save(frames / f"shot_{k:03d}.png")
    (tiny_disk / "filler").write_bytes(b"\0" * (4 * 2**20 - 64 * 1024))
    args = [frames, STARRY, "-o", tiny_disk / "v.mp4", "--size", "64", "--frame-iterations", "2", "-q"]
    message = (
        f"The disk holding {tiny_disk} has 0.1 MB free but the frames may need about 0.3 MB"  # was "No space left"
    )
    refused(capsys, tiny_disk, *args, main=video.main, message=message)  # and no empty v.mp4.frames/ left
