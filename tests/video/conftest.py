"""Tiny clips for the video tests."""

import pytest

from testimages import load_small
from videoclips import pan_frames, write_clip


@pytest.fixture(scope="session")
def pan_rgbs():
    """Six 64 x 64 frames: a slow pan (2 px a frame) over the cat."""
    return pan_frames(load_small("chelsea.png", 120), 6, 64)


@pytest.fixture(scope="session")
def pan_clip(tmp_path_factory, pan_rgbs):
    """The pan as a 12 fps H.264 .mp4 with a sound track."""
    return write_clip(tmp_path_factory.mktemp("clip") / "pan.mp4", pan_rgbs, fps=12, audio=True)
