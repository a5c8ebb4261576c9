"""Session versions around a video frame: a session saved while a video's frame
is the content is version 3 (older builds, which read up to 2, say it was
saved by a newer version instead of failing on the video), an ordinary one
stays version 2, and a version above 3 is refused in one sentence. The real
window saving and opening real files, and a real clip made with PyAV."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from testimages import image_path, load_small
from videoclips import pan_frames, write_clip


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    frames = pan_frames(load_small("chelsea.png", 120), 4, 48)
    return write_clip(tmp_path_factory.mktemp("clip") / "pan.mp4", frames)


def messages(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox, "message_dialog") if box.isVisible()]


def open_clip(window, qtbot, monkeypatch, clip) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(clip), ""))
    window.video.actions["open_video"].trigger()
    qtbot.waitUntil(lambda: window.doc.content is not None and window.doc.content is window.video.frame_image)


def saved(window, monkeypatch, path) -> dict:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.acts["save_session_as"].trigger()
    return json.loads(path.read_text())


def test_a_session_on_a_video_frame_is_version_3_and_an_ordinary_one_stays_2(
    window, qtbot, monkeypatch, clip, tmp_path
):
    photo = saved(window, monkeypatch, tmp_path / "photo.nss")
    assert photo["version"] == 2 and "content_frame" not in photo
    open_clip(window, qtbot, monkeypatch, clip)
    video = saved(window, monkeypatch, tmp_path / "video.nss")
    assert video["version"] == 3 and video["content_frame"] == 0
    window.open_content(str(image_path("coffee.png")))
    assert window.sessions.load(str(tmp_path / "video.nss")) and not messages(window)
    assert window.doc.content is window.video.frame_image and window.video.dock.isVisible()


def test_a_session_of_a_newer_version_says_so_and_changes_nothing(window, qtbot, monkeypatch, clip, tmp_path):
    open_clip(window, qtbot, monkeypatch, clip)
    session = tmp_path / "future.nss"
    data = saved(window, monkeypatch, session)
    session.write_text(json.dumps(data | {"version": 4}))
    window.open_content(str(image_path("coffee.png")))
    content = window.doc.content
    assert not window.sessions.load(str(session))
    texts = messages(window)
    assert len(texts) == 1 and texts[0].startswith("Session future.nss cannot be opened: "), texts
    assert "saved by a newer Neural Style Studio (session version 4; this one reads up to 3)" in texts[0], texts
    assert window.doc.content is content and not window.video.dock.isVisible()
