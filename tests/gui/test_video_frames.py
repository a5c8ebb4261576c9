"""Frames on demand for the Video dock and the player: the same pixels as
the engine's reader decoding from the start, with seeks that skip most of
the decoding, and a folder of frames read file by file."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from engine.image.write import save_image
from engine.video.frames import open_source
from gui.video_frames import FrameDecoder
from testimages import load_small

COUNT = 60


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory):
    """60 frames, 64 x 48, a key frame every 8: a pan 1 px a frame over the cat, 24 fps."""
    rgb = load_small("chelsea.png", 160)
    path = tmp_path_factory.mktemp("long") / "pan.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(24))
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.options = {"g": "8", "crf": "18"}
        for k in range(COUNT):
            pixels = (rgb[20:68, k : k + 64] * 255 + 0.5).astype(np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode())
    return path


@pytest.fixture(scope="module")
def every_frame(long_clip):
    return list(open_source(long_clip).read())


def test_frames_match_the_engine_reader_in_any_order(long_clip, every_frame):
    decoder = FrameDecoder(open_source(long_clip))
    for k in (0, 1, 57, 20, 19, 21, 59, 3, 40, 41):
        assert np.array_equal(decoder.frame(k), every_frame[k]), k
    decoder.close()


def test_a_jump_back_seeks_instead_of_decoding_from_the_start(long_clip, every_frame):
    decoder = FrameDecoder(open_source(long_clip), keep=2)
    decoder.frame(50)
    before = decoder.decoded
    assert np.array_equal(decoder.frame(45), every_frame[45])
    assert decoder.decoded - before <= 8 + 2  # from the key frame at 40, not 46 frames from the start
    before = decoder.decoded
    decoder.frame(46)  # just ahead: decoded on from where it stopped
    assert decoder.decoded - before == 1
    decoder.close()


def test_frames_outside_the_clip_are_refused(long_clip):
    decoder = FrameDecoder(open_source(long_clip))
    with pytest.raises(IndexError, match="outside the video's 60 frames"):
        decoder.frame(COUNT)


def test_a_folder_is_read_one_file_at_a_time(tmp_path, every_frame):
    for k in range(5):
        save_image(tmp_path / f"f{k:03d}.png", every_frame[k])
    decoder = FrameDecoder(open_source(tmp_path))
    assert np.array_equal(decoder.frame(4), every_frame[4]) and decoder.decoded == 0
