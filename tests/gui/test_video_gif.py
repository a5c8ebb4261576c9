"""An animated GIF dropped on the window, or picked from File ▸ Open recent,
opens as a video; a one-frame GIF stays a picture. Real GIFs written with
Pillow from a shared photo, the real window and real drop events."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dropfiles import drop_files
from gui.video_paths import is_video_path
from testimages import image_path, load_small
from videoclips import pan_frames


def write_gif(path, count: int):
    frames = [
        Image.fromarray((f * 255 + 0.5).astype(np.uint8))
        for f in pan_frames(load_small("chelsea.png", 120), count, 48, 4)
    ]
    frames[0].save(path, save_all=count > 1, append_images=frames[1:], duration=80, loop=0)
    with Image.open(path) as im:
        assert getattr(im, "n_frames", 1) == count
    return path


@pytest.fixture
def gifs(tmp_path):
    return write_gif(tmp_path / "moving.gif", 5), write_gif(tmp_path / "still.gif", 1)


def video_content(window, path) -> bool:
    content = window.doc.content
    return content is not None and content is window.video.frame_image and content.path == str(path)


def test_only_a_gif_of_several_frames_is_a_video_path(gifs, tmp_path):
    moving, still = gifs
    broken = tmp_path / "broken.gif"
    broken.write_bytes(b"GIF89a not really")
    assert is_video_path(str(moving)) and not is_video_path(str(still)) and not is_video_path(str(broken))


def test_a_dropped_animated_gif_opens_as_the_video_and_reopens_from_open_recent(window, qtbot, gifs):
    moving, _ = gifs
    styles = list(window.doc.styles)
    drop_files(window, [moving])
    qtbot.waitUntil(lambda: video_content(window, moving))
    assert window.video.dock.isVisible() and window.video.source.count == 5 and window.doc.styles == styles
    assert window.menus.recent_menu.actions()[0].text() == str(moving)
    window.open_content(str(image_path("coffee.png")))
    assert not window.video.dock.isVisible()
    recent = window.menus.recent_menu.actions()[1]
    assert recent.text() == str(moving)
    recent.trigger()
    qtbot.waitUntil(lambda: video_content(window, moving))
    assert window.video.dock.isVisible() and window.doc.styles == styles


def test_a_dropped_one_frame_gif_stays_a_picture(window, qtbot, gifs):
    _, still = gifs
    content = window.doc.content
    drop_files(window, [still])  # with a content open, a dropped picture is added as a style
    assert window.doc.styles[-1].path == str(still) and window.doc.content is content
    assert window.video.source is None and not window.video.dock.isVisible()
