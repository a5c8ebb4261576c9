"""`main.py video` as a careless new user runs it: each fault refused before the
run in one sentence (exit 2), and the input never replaced."""

import shutil

import pytest
from PIL import Image

from cli import video as cli
from clirefusals import STARRY, refused

QUICK = ["--size", "64", "--quality", "custom", "--iterations", "2", "--frame-iterations", "2", "-q"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--temporal-weight", "nan"], "--temporal-weight must be a number, not nan."),  # was rendered
        (["--frame-iterations", "99999999999999999999"], "--frame-iterations must be at most 100000"),  # a traceback
        # was rendered as 2:6 without a word
        (
            ["--frames", "2:50"],
            "--frames ends at frame 50, but the input has only 6 frames; use --frames 2:6 (or 2: to",
        ),
    ],
)
def test_video_options_out_of_range(pan_clip, tmp_path, capsys, args, message):
    refused(capsys, tmp_path, pan_clip, STARRY, "-o", tmp_path / "o.mp4", *QUICK, *args, main=cli.main, message=message)


def test_a_file_that_is_no_video_past_its_header_is_one_sentence(tmp_path, capsys):
    notes = tmp_path / "notes.png"
    notes.write_text("hello\n")  # PyAV finds a PNG 'stream' in it, then fails to decode it: was a traceback
    message = f"Frame 1 of {notes} cannot be decoded (Invalid data found when processing input); the file is damaged"
    refused(capsys, tmp_path, notes, STARRY, "-o", tmp_path / "o.mp4", *QUICK, main=cli.main, message=message)


def test_overwrite_never_replaces_the_input_folder(pan_clip, tmp_path, capsys):
    frames = tmp_path / "frames"
    frames.mkdir()
    for k in range(3):
        Image.new("RGB", (64, 64), (40 * k, 90, 160)).save(frames / f"shot_{k:03d}.png")
    before = {p.name: p.read_bytes() for p in frames.iterdir()}
    message = f"Output {frames} is the input itself; choose another output name"  # the frames were replaced
    refused(capsys, tmp_path, frames, STARRY, "-o", frames, *QUICK, "--overwrite", main=cli.main, message=message)
    assert {p.name: p.read_bytes() for p in frames.iterdir()} == before
    copy = tmp_path / "clip.mp4"
    shutil.copy(pan_clip, copy)
    message = f"Output {copy} is the input itself"
    refused(capsys, tmp_path, copy, STARRY, "-o", copy, *QUICK, "--overwrite", main=cli.main, message=message)
