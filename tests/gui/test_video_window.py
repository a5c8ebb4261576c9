"""A video as the window's content: opened from the File menu, a frame picked
with the Video dock's slider, exported with progress, Pause and Stop, and
played back. A real 6-frame clip, real weights, real widgets and events."""

from __future__ import annotations

import re
from fractions import Fraction

import av
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.image.write import save_image
from engine.video import libs
from engine.video.cache import FrameCache
from engine.video.frames import open_source, write_video
from gui.export import SavedNotice
from gui.video_export_setup import FOLDER_FILTER, MP4_FILTER
from testimages import image_path, load_small

FRAMES = 6


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """Six 64 x 48 frames panning 3 px a frame over the cat, as a 12 fps .mp4."""
    rgb = load_small("chelsea.png", 120)
    frames = [rgb[10:58, 3 * k : 3 * k + 64] for k in range(FRAMES)]
    path = tmp_path_factory.mktemp("clip") / "pan.mp4"
    write_video(path, frames, Fraction(12))
    return path


def decoded(path, k: int) -> np.ndarray:
    return next(open_source(path).read(k, k + 1))


def video_action(window, text: str):
    """An entry of the window's Video menu, as a user finds it."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "V&ideo")
    return next(a for a in menu.actions() if a.text() == text)


def frame_count(path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(c.streams.video[0]))


def messages(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox, "message_dialog") if box.isVisible()]


def open_clip(window, qtbot, monkeypatch, clip):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(clip), ""))
    video_action(window, "Open video as content…").trigger()
    qtbot.waitUntil(lambda: window.video.frame_image is not None and window.doc.content is window.video.frame_image)
    return window.video


def outcome_of(qtbot, video, timeout=180_000):
    """How the export in progress ended; a failure fails the test at once with its message."""
    ends = []
    video.export.ended.connect(ends.append)
    video.export.failed.connect(ends.append)
    qtbot.waitUntil(lambda: bool(ends), timeout=timeout)
    assert not isinstance(ends[0], Exception), ends[0]
    return ends[0]


def shows_frame(window, clip, k: int) -> bool:
    content = window.doc.content
    return content is window.video.frame_image and np.array_equal(content.rgb, decoded(clip, k))


def test_a_video_opens_as_the_content_and_the_slider_picks_the_frame(window, qtbot, monkeypatch, clip):
    export = video_action(window, "Export video…")
    assert not export.isEnabled() and not window.video.dock.isVisible()
    video = open_clip(window, qtbot, monkeypatch, clip)
    assert shows_frame(window, clip, 0) and window.view.shown_key == "content"
    assert window.canvas.image_size() == (64, 48) and video.dock.isVisible() and export.isEnabled()
    slider = video.panel.slider
    assert (slider.minimum(), slider.maximum()) == (0, FRAMES - 1)
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: shows_frame(window, clip, 1))
    qtbot.keyClick(slider, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: shows_frame(window, clip, FRAMES - 1))
    assert video.panel.frame_label.text() == "Frame 6 / 6 · 0:00.42"
    assert not np.array_equal(decoded(clip, 0), decoded(clip, FRAMES - 1))
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(2, slider.height() // 2))  # a page back
    qtbot.waitUntil(lambda: slider.value() < FRAMES - 1 and shows_frame(window, clip, slider.value()))
    window.open_content(str(image_path("coffee.png")))  # a photo again: the video is no longer the content
    assert not export.isEnabled() and not video.dock.isVisible() and video.loader is None


def test_export_renders_every_frame_says_where_and_plays_back(window, qtbot, monkeypatch, clip, tmp_path, set_options):
    set_options(window, size=48, iterations=3)
    video = open_clip(window, qtbot, monkeypatch, clip)
    spin = video.panel.frame_iterations
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "2")
    assert video.panel.options().frame_iterations == 2
    out = tmp_path / "styled.mp4"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "styled"), MP4_FILTER))
    frames_seen, etas = [], []
    video.export.frame_done.connect(lambda p: frames_seen.append((p.done, p.total)))
    video.export.frame_done.connect(lambda p: etas.append(video.panel.eta_label.text()))  # after the panel's slot
    assert not video.panel.preview.isVisible()
    video_action(window, "Export video…").trigger()
    assert video.panel.bar.isVisible() and not video.panel.slider.isEnabled()
    with qtbot.waitSignal(video.export.preview, timeout=120_000):
        pass  # the frame in hand is drawn in the dock as it improves
    assert video.panel.preview.isVisible() and not video.panel.preview.pixmap().isNull()
    outcome = outcome_of(qtbot, video)
    assert (outcome.done, outcome.total, outcome.stopped, outcome.written) == (FRAMES, FRAMES, False, out)
    assert frames_seen == [(k, FRAMES) for k in range(1, FRAMES + 1)] and video.panel.bar.value() == FRAMES
    assert re.fullmatch(r"Frame 1 of 6 done · \d+:\d\d left", etas[0]), etas
    assert frame_count(out) == FRAMES and not out.with_name("styled.mp4.frames").exists()
    assert not list(tmp_path.glob(".nss-*"))
    notices = window.findChildren(SavedNotice)
    assert [n.text() for n in notices] == [f"Saved to {out}"] and video.panel.status.text().startswith("Saved to")
    qtbot.waitUntil(lambda: not video.export.is_running())
    qtbot.mouseClick(video.panel.play_button, Qt.MouseButton.LeftButton)
    player = video.players[-1]
    qtbot.waitUntil(lambda: player.shown == 0)
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    assert player.is_playing() and player.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: player.shown == FRAMES - 1 and not player.is_playing(), timeout=10_000)
    assert player.slider.value() == FRAMES - 1 and not player.screen_label.pixmap().isNull()
    assert player.play_button.text() == "Play"
    player.close()
    qtbot.waitUntil(lambda: not player.loader.isRunning() if video.players else True)


def test_pause_then_stop_writes_the_frames_done_and_keeps_them_for_later(
    window, qtbot, monkeypatch, clip, tmp_path, set_options
):
    set_options(window, size=48, iterations=3)
    video = open_clip(window, qtbot, monkeypatch, clip)
    video.panel.frame_iterations.setValue(60)  # later frames take long enough to pause inside one
    out = tmp_path / "frames"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), FOLDER_FILTER))
    with qtbot.waitSignal(video.export.frame_done, timeout=120_000):
        video_action(window, "Export video…").trigger()
    with qtbot.waitSignal(video.export.controller.holding, timeout=60_000):
        qtbot.mouseClick(video.panel.pause_button, Qt.MouseButton.LeftButton)
    assert video.panel.pause_button.text() == "Resume" and video.panel.eta_label.text() == "Paused"
    with qtbot.waitSignal(video.export.iteration, timeout=60_000):  # it goes on (and then may park again)
        qtbot.mouseClick(video.panel.pause_button, Qt.MouseButton.LeftButton)
        assert video.panel.pause_button.text() == "Pause" and not video.export.controller.is_paused()
    with qtbot.waitSignal(video.export.controller.holding, timeout=60_000):
        qtbot.mouseClick(video.panel.pause_button, Qt.MouseButton.LeftButton)
    done = video.panel.bar.value()
    assert 1 <= done < FRAMES
    qtbot.mouseClick(video.panel.stop_button, Qt.MouseButton.LeftButton)
    outcome = outcome_of(qtbot, video)
    assert outcome.stopped and outcome.done == done and outcome.written == out
    assert sorted(p.name for p in out.iterdir()) == [f"frame_{k:06d}.png" for k in range(1, done + 1)]
    cached = out.with_name("frames.frames")
    assert len(list(cached.glob("frame_*.png"))) == done
    assert any(f"wrote them to {out}" in text for text in messages(window))


def test_missing_video_libraries_are_one_sentence(window, monkeypatch):
    real = libs.importlib.util.find_spec
    monkeypatch.setattr(libs.importlib.util, "find_spec", lambda name, *a: None if name == "av" else real(name, *a))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: pytest.fail("no dialog without PyAV"))
    video_action(window, "Open video as content…").trigger()
    texts = messages(window)
    assert len(texts) == 1 and "pip install av" in texts[0] and texts[0].count(". ") == 0, texts


def test_a_file_that_is_not_a_video_is_one_sentence(window, monkeypatch, tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fake), ""))
    content = window.doc.content
    video_action(window, "Open video as content…").trigger()
    texts = messages(window)
    assert len(texts) == 1 and "is not a video" in texts[0] and "Traceback" not in texts[0]
    assert window.doc.content is content and not window.video.dock.isVisible()
    for box in window.findChildren(QMessageBox, "message_dialog"):
        box.close()
    video_action(window, "Play video…").trigger()
    boxes = [box for box in window.findChildren(QMessageBox, "message_dialog") if box.isVisible()]
    assert [box.windowTitle() for box in boxes] == ["Cannot play notes.mp4"] and "is not a video" in boxes[0].text()
    assert not window.video.players


def test_a_folder_of_frames_opens_as_the_content(window, qtbot, monkeypatch, tmp_path, clip):
    folder = tmp_path / "shots"
    folder.mkdir()
    for k in range(3):
        save_image(folder / f"shot_{k + 1}.png", decoded(clip, k))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    video_action(window, "Open folder of frames as content…").trigger()
    qtbot.waitUntil(lambda: window.video.frame_image is not None)
    qtbot.keyClick(window.video.panel.slider, Qt.Key.Key_End)
    third = decoded(clip, 2)  # PNG keeps the 8-bit levels exactly
    qtbot.waitUntil(
        lambda: (
            window.doc.content is window.video.frame_image
            and window.doc.content is not None
            and np.allclose(window.doc.content.rgb, third, atol=1e-6)
        )
    )
    assert window.video.panel.frame_label.text() == "Frame 3 / 3 · 0:00.08"  # a folder plays at 25 fps


def test_an_existing_output_is_kept_when_the_answer_is_no(window, qtbot, monkeypatch, clip, tmp_path, questions):
    video = open_clip(window, qtbot, monkeypatch, clip)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "taken.mp4"
    out.write_bytes(b"precious")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), MP4_FILTER))
    video_action(window, "Export video…").trigger()
    assert questions == [f"{out} already exists. Replace it?"]
    assert not video.export.is_running() and out.read_bytes() == b"precious"
    assert sorted(p.name for p in out.parent.iterdir()) == ["taken.mp4"]


def test_closing_the_window_mid_export_writes_the_frames_done(window, qtbot, monkeypatch, clip, tmp_path, set_options):
    set_options(window, size=48, iterations=3)
    video = open_clip(window, qtbot, monkeypatch, clip)
    video.panel.frame_iterations.setValue(60)
    out = tmp_path / "closed.mp4"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), MP4_FILTER))
    with qtbot.waitSignal(video.export.frame_done, timeout=120_000):
        video_action(window, "Export video…").trigger()
    window.close()  # the unsaved-work question is answered Discard by the questions fixture
    assert not video.export.is_running()
    done = len(list(tmp_path.glob("closed.mp4.frames/frame_*.png")))
    assert 1 <= done < FRAMES and frame_count(out) == done


def test_the_same_export_again_resumes_from_the_frames_done(
    window, qtbot, monkeypatch, clip, tmp_path, questions, set_options
):
    set_options(window, size=48, iterations=3)
    video = open_clip(window, qtbot, monkeypatch, clip)
    video.panel.frame_iterations.setValue(3)
    out = tmp_path / "resumed.mp4"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), MP4_FILTER))
    with qtbot.waitSignal(video.export.frame_done, timeout=120_000):
        video_action(window, "Export video…").trigger()
    qtbot.mouseClick(video.panel.stop_button, Qt.MouseButton.LeftButton)
    first = outcome_of(qtbot, video)
    assert first.stopped and 1 <= first.done < FRAMES and frame_count(out) == first.done
    qtbot.waitUntil(lambda: video_action(window, "Export video…").isEnabled())
    progress = []
    video.export.frame_done.connect(progress.append)
    video_action(window, "Export video…").trigger()  # the partial video is this render's: replaced without asking
    second = outcome_of(qtbot, video)
    assert not second.stopped and second.done == FRAMES and frame_count(out) == FRAMES
    assert not [q for q in questions if "Replace" in q or "Remove" in q]
    assert [p.cached for p in progress] == [True] * first.done + [False] * (FRAMES - first.done)
    assert not out.with_name("resumed.mp4.frames").exists()


def test_the_frames_of_another_render_are_removed_only_on_yes(window, qtbot, monkeypatch, clip, tmp_path, questions):
    video = open_clip(window, qtbot, monkeypatch, clip)
    out = tmp_path / "styled.mp4"
    other = FrameCache(tmp_path / "styled.mp4.frames", {"input": "another clip"}, overwrite=False)
    other.save(0, decoded(clip, 0))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), MP4_FILTER))
    video_action(window, "Export video…").trigger()
    assert [q for q in questions if "different render" in q] and not video.export.is_running()
    assert other.done() == 1 and not out.exists()


def test_export_video_stays_disabled_when_the_first_frame_lands_during_the_export(
    window, qtbot, monkeypatch, clip, tmp_path, set_options
):
    set_options(window, size=48, iterations=2)
    video = window.video
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "early.mp4"), MP4_FILTER))
    assert video.open(str(clip)) and video.export_video()  # the export starts before the slider's frame is decoded
    qtbot.waitUntil(lambda: window.doc.content is video.frame_image and video.frame_image is not None)
    assert video.export.is_running() and not video_action(window, "Export video…").isEnabled()
    video.export.stop()
    outcome_of(qtbot, video)
