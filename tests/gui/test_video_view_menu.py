"""View ▸ Video shows and hides the Video dock, as View's entries for the
other docks do: the real window, its View menu opened and its entry clicked
with the mouse, and a real clip made with PyAV."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from testimages import load_small
from videoclips import pan_frames, write_clip


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    frames = pan_frames(load_small("chelsea.png", 120), 4, 48)
    return write_clip(tmp_path_factory.mktemp("clip") / "pan.mp4", frames)


def view_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")


def click_view_entry(window, qtbot, text: str) -> None:
    """Open View from the menu bar with the mouse and click its entry `text`."""
    bar = window.menuBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(view_menu(window).menuAction()).center())
    menu = view_menu(window)
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


def test_view_video_shows_and_hides_the_video_dock(window, qtbot, monkeypatch, clip):
    entries = [a.text() for a in view_menu(window).actions()]
    assert entries[-4:] == ["Options", "Mask editor", "Queue", "Video"]  # beside the other docks' entries
    video = next(a for a in view_menu(window).actions() if a.text() == "Video")
    assert video.isCheckable() and not video.isChecked() and not window.video.dock.isVisible()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(clip), ""))
    window.video.actions["open_video"].trigger()
    qtbot.waitUntil(lambda: window.doc.content is not None and window.doc.content is window.video.frame_image)
    assert window.video.dock.isVisible() and video.isChecked()
    assert window.video.dock.windowTitle() == "Video: pan.mp4" and video.text() == "Video"  # the entry keeps its name
    click_view_entry(window, qtbot, "Video")
    assert not window.video.dock.isVisible() and not video.isChecked()
    assert window.doc.content is window.video.frame_image  # hiding the dock leaves the video open
    click_view_entry(window, qtbot, "Video")
    assert window.video.dock.isVisible() and video.isChecked()
