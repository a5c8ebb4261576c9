"""Where a video meets the rest of the window: a session saved on a video frame
reopens the video at that frame, a dropped video opens as the video content and
joins File ▸ Open recent (and reopens from there as the video), Export video at
a size the network cannot take or style images too large for memory are
refused before any question in the window's words, and missing
video libraries are named for Export Video. A real 6-frame clip made with
PyAV from a shared photo, the real window, its menus and real drop events."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from dropfiles import drop_files
from engine.pipeline.checks import min_network_side
from engine.video import libs
from engine.video.frames import open_source
from testimages import image_path, load_small
from videoclips import write_clip

FRAMES = 6


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """Six 64 x 40 frames panning 3 px a frame over the cat, as a 12 fps .mp4 (wide on purpose:
    at the smallest --size, 32, its short side is too small for the network)."""
    rgb = load_small("chelsea.png", 120)
    frames = [rgb[10:50, 3 * k : 3 * k + 64] for k in range(FRAMES)]
    return write_clip(tmp_path_factory.mktemp("clip") / "wide.mp4", frames)


def decoded(path, k: int) -> np.ndarray:
    return next(open_source(path).read(k, k + 1))


def video_action(window, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "V&ideo")
    return next(a for a in menu.actions() if a.text() == text)


def messages(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox, "message_dialog") if box.isVisible()]


def shows_frame(window, clip, k: int) -> bool:
    content = window.doc.content
    return (
        content is not None
        and content is window.video.frame_image
        and content.path == str(clip)
        and np.array_equal(content.rgb, decoded(clip, k))
    )


def open_clip(window, qtbot, monkeypatch, clip):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(clip), ""))
    video_action(window, "Open video as content…").trigger()
    qtbot.waitUntil(lambda: shows_frame(window, clip, 0))
    return window.video


def test_a_session_saved_on_a_frame_reopens_the_video_at_that_frame(window, qtbot, monkeypatch, clip, tmp_path):
    video = open_clip(window, qtbot, monkeypatch, clip)
    slider = video.panel.slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: shows_frame(window, clip, 2))
    session = tmp_path / "on-a-frame.nss"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(session), ""))
    window.acts["save_session_as"].trigger()
    saved = json.loads(session.read_text())
    assert (saved["content"], saved["content_frame"]) == (str(clip), 2)
    window.open_content(str(image_path("coffee.png")))  # a photo: the video closes
    assert not video.dock.isVisible() and video.source is None
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(session), ""))
    window.acts["open_session"].trigger()
    assert shows_frame(window, clip, 2) and window.view.shown_key == "content" and not window.sessions.dirty
    assert video.dock.isVisible() and slider.value() == 2 and video.panel.frame_label.text().startswith("Frame 3 / 6")
    assert video_action(window, "Export video…").isEnabled() and not messages(window)
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)  # the video itself is open again, not a still of it
    qtbot.waitUntil(lambda: shows_frame(window, clip, 3))


def test_a_session_whose_video_is_gone_is_one_sentence_and_changes_nothing(window, qtbot, monkeypatch, clip, tmp_path):
    moved = tmp_path / "moved.mp4"
    shutil.copy(clip, moved)
    open_clip(window, qtbot, monkeypatch, moved)
    session = tmp_path / "gone.nss"
    assert window.sessions.save(path=str(session))
    moved.unlink()
    window.open_content(str(image_path("coffee.png")))
    content = window.doc.content
    assert not window.sessions.load(str(session))
    texts = messages(window)
    assert len(texts) == 1 and "gone.nss cannot be opened" in texts[0] and "moved.mp4 does not exist" in texts[0]
    assert "Traceback" not in texts[0] and window.doc.content is content and not window.video.dock.isVisible()


def test_a_dropped_video_opens_as_the_video_and_reopens_from_open_recent(window, qtbot, clip):
    styles = list(window.doc.styles)
    drop_files(window, [clip])
    qtbot.waitUntil(lambda: shows_frame(window, clip, 0))
    assert window.video.dock.isVisible() and window.doc.styles == styles  # not taken for a style image
    recent = window.menus.recent_menu.actions()[0]
    assert recent.text() == str(clip)
    window.open_content(str(image_path("coffee.png")))
    assert not window.video.dock.isVisible()
    recent = window.menus.recent_menu.actions()[1]  # the photo is the newest now
    assert recent.text() == str(clip)
    recent.trigger()  # with a photo open, a recent image would be added as a style; a video is the content
    qtbot.waitUntil(lambda: shows_frame(window, clip, 0))
    assert window.video.dock.isVisible() and window.doc.styles == styles


def test_export_at_a_size_the_network_cannot_take_is_refused_before_the_run(
    window, qtbot, monkeypatch, clip, set_options
):
    set_options(window, size=32)
    video = open_clip(window, qtbot, monkeypatch, clip)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no output asked for"))
    video_action(window, "Export video…").trigger()
    need = min_network_side(window.model.settings)
    texts = messages(window)
    assert len(texts) == 1 and texts[0].startswith(
        f"At 32 px the 64x40 image would be only 20 px on its short side, but the network needs at least {need} px"
    ), texts
    # round(40 * 51 / 64) = 32; the window names its control, not the command line's option
    assert texts[0].endswith("; set Size (long side, px) to 51 or more.") and "--" not in texts[0], texts
    assert not video.export.is_running() and not video.panel.bar.isVisible()


def test_export_with_style_images_too_large_for_memory_is_refused_before_the_run(
    window, qtbot, monkeypatch, clip, set_options
):
    set_options(window, style_scale=1000)  # 64000 px style images: more than any computer's memory
    video = open_clip(window, qtbot, monkeypatch, clip)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no output asked for"))
    video_action(window, "Export video…").trigger()
    texts = messages(window)
    assert len(texts) == 1 and texts[0].startswith("With style scale 1000 the style images need about"), texts
    assert "the largest Style scale that fits is about" in texts[0] and "--" not in texts[0], texts
    assert not video.export.is_running() and not video.panel.bar.isVisible()


def test_export_video_names_itself_when_the_video_libraries_are_missing(window, qtbot, monkeypatch, clip):
    video = open_clip(window, qtbot, monkeypatch, clip)
    real = libs.importlib.util.find_spec
    monkeypatch.setattr(libs.importlib.util, "find_spec", lambda name, *a: None if name == "av" else real(name, *a))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no output asked for"))
    video_action(window, "Export video…").trigger()
    texts = messages(window)
    assert len(texts) == 1 and texts[0].startswith("Export Video needs av, which this installation lacks")
    assert "pip install av" in texts[0] and not video.export.is_running()


@pytest.mark.parametrize("frame", [-1, "2", 99])
def test_a_session_naming_a_frame_that_is_not_there_is_one_sentence(window, qtbot, monkeypatch, clip, tmp_path, frame):
    open_clip(window, qtbot, monkeypatch, clip)
    session = tmp_path / "odd.nss"
    assert window.sessions.save(path=str(session))
    data = json.loads(session.read_text())
    session.write_text(json.dumps(data | {"content_frame": frame}))
    window.open_content(str(image_path("coffee.png")))
    content = window.doc.content
    assert not window.sessions.load(str(session))
    texts = messages(window)
    expected = {-1: "its content frame -1 is not a frame number", "2": "its field 'content_frame' should be a int"}
    assert len(texts) == 1 and texts[0].startswith("Session odd.nss cannot be opened: ")
    assert expected.get(frame, "wide.mp4 has 6 frames, so no frame 100") in texts[0], texts
    assert window.doc.content is content and not window.video.dock.isVisible()
