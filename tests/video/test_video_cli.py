"""`main.py video`: a tiny pan rendered to .mp4 and to a folder, refusals in
one line, resuming from the cached frames, and less flicker than independent
frames."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import av
from PIL import Image

from cli import video as cli
from engine.image.io import load_image
from engine.video.flow import temporal_error
from testimages import image_path

ROOT = Path(__file__).resolve().parents[2]
STARRY = str(image_path("van_gogh_starry_night_1889.jpg"))
QUICK = ["--size", "64", "--quality", "custom", "--iterations", "3", "--frame-iterations", "3", "-q"]


def streams(path: Path) -> tuple:
    """(video frames, frame rate, (width, height), audio streams) of a video file."""
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        frames = sum(1 for _ in c.decode(v))
        return frames, v.average_rate, (v.codec_context.width, v.codec_context.height), len(c.streams.audio)


def test_renders_an_mp4_with_the_frames_rate_and_sound_kept(pan_clip, tmp_path, capsys):
    out = tmp_path / "styled.mp4"
    assert cli.main([str(pan_clip), STARRY, "-o", str(out), *QUICK]) == 0, capsys.readouterr().err
    assert streams(out) == (6, 12, (64, 64), 1)
    assert not out.with_name("styled.mp4.frames").exists() and not list(tmp_path.glob(".nss-*"))


def test_a_webm_gets_the_mp4s_aac_sound_as_opus_for_the_frames_rendered(pan_clip, tmp_path, capsys):
    out = tmp_path / "styled.webm"
    assert cli.main([str(pan_clip), STARRY, "-o", str(out), *QUICK, "--frames", "2:5"]) == 0
    assert "re-encoded as Opus" in capsys.readouterr().err
    with av.open(str(pan_clip)) as c:
        channels = c.streams.audio[0].codec_context.layout.nb_channels
    with av.open(str(out)) as c:
        sound = c.streams.audio[0]
        assert sound.codec_context.name == "opus" and sound.codec_context.layout.nb_channels == channels
        seconds = sum(f.samples for f in c.decode(sound)) / sound.rate
    assert abs(seconds - 4 / 12) < 0.05  # frames 2-5 at 12 fps: the sound of those frames, not the whole clip's


def test_renders_a_folder_of_frames(pan_clip, tmp_path, capsys):
    out = tmp_path / "frames"
    assert cli.main([str(pan_clip), STARRY, "-o", str(out), *QUICK, "--frames", "2:5"]) == 0, capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"frame_{k:06d}.png" for k in range(1, 5)]
    with Image.open(out / names[0]) as im:
        assert im.size == (64, 64)


def refused(capsys, *args, message):
    code = cli.main([str(a) for a in args])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert message in err, err


def test_bad_input_is_one_line_and_exit_2(pan_clip, tmp_path, capsys):
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("not a video at all\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "o.mp4"
    refused(capsys, not_video, STARRY, "-o", out, *QUICK, message="is not a video")
    refused(capsys, empty, STARRY, "-o", out, *QUICK, message="holds no numbered frames")
    refused(capsys, tmp_path / "missing.mp4", STARRY, "-o", out, *QUICK, message="does not exist")
    refused(capsys, pan_clip, STARRY, "-o", out, *QUICK, "--frames", "9:", message="only 6 frames")
    refused(capsys, pan_clip, STARRY, "-o", tmp_path / "o.png", *QUICK, message="must end in")
    out.write_bytes(b"old")
    refused(capsys, pan_clip, STARRY, "-o", out, *QUICK, message="--overwrite")
    assert out.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["empty", "notes.mp4", "o.mp4"]


def test_a_folder_of_numbered_frames_is_an_input(pan_rgbs, tmp_path, capsys):
    from engine.image.write import save_image

    folder = tmp_path / "in"
    folder.mkdir()
    for k, rgb in enumerate(pan_rgbs[:3]):
        save_image(folder / f"shot_{k + 8}.png", rgb)
    out = tmp_path / "o.mp4"
    assert cli.main([str(folder), STARRY, "-o", str(out), *QUICK]) == 0, capsys.readouterr().err
    assert streams(out)[:2] == (3, 25)


def test_interrupted_render_writes_what_is_done_and_resumes(pan_clip, tmp_path, capsys):
    out = tmp_path / "o.mp4"
    slow = ["--size", "64", "--quality", "custom", "--iterations", "3", "--frame-iterations", "60"]
    cmd = [sys.executable, str(ROOT / "main.py"), "video", str(pan_clip), STARRY, "-o", str(out), *slow, "-q"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=dict(os.environ, PYTHONUNBUFFERED="1"), stderr=subprocess.PIPE, text=True
    )
    second = out.with_name("o.mp4.frames") / "frame_000002.png"
    while not second.exists():
        assert proc.poll() is None, proc.stderr.read()
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            pass
    proc.send_signal(signal.SIGINT)
    err = proc.stderr.read()
    assert proc.wait() == 130 and "Interrupted after" in err and "Traceback" not in err, err
    proc.stderr.close()
    cached = len(list(out.with_name("o.mp4.frames").glob("frame_*.png")))
    assert 2 <= cached < 6 and streams(out)[0] == cached
    # the same command again: no --overwrite needed for its own partial video, the finished frames are reused
    assert cli.main([str(pan_clip), STARRY, "-o", str(out), *slow]) == 0
    assert capsys.readouterr().err.count("(cached)") == cached
    assert streams(out)[0] == 6


def test_temporal_method_flickers_less_than_independent_frames(pan_clip, pan_rgbs, tmp_path, capsys):
    errors = {}
    for weight in ("0", "1"):
        out = tmp_path / f"w{weight}"
        assert cli.main([str(pan_clip), STARRY, "-o", str(out), "--size", "64", "-q", "--temporal-weight", weight]) == 0
        frames = [load_image(p).rgb for p in sorted(out.iterdir())]
        errors[weight] = temporal_error(pan_rgbs, frames)
    assert errors["1"] < 0.5 * errors["0"], errors
