"""The Queue panel in the main window: the document added from the Run menu's
shortcut, its masks written as files, the job rendered with real clicks, and a
close while a queued job runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui.palette import REGION_COLOURS


def paint(window, y: int, xs: tuple[int, int]) -> None:
    """A brush stroke of region 2 across the photo, with the mouse."""
    window.view.show_key("content")
    window.mask_dock.raise_()
    editor = window.mask_editor
    editor.set_tool("brush")
    editor.size.setValue(12)
    editor.hardness.setValue(100)
    editor.region.select_region(2)
    canvas, left = window.canvas, Qt.MouseButton.LeftButton
    at = lambda x: canvas.image_to_widget(x, y).toPoint()
    QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, at(xs[0]))
    QTest.mouseMove(canvas, at(xs[1]))
    QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, at(xs[1]))


def pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def add_with_shortcut(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    count = len(window.queue_panel.queue.items)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(window.queue_panel.queue.items) == count + 1)


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_add_the_document_with_its_masks_and_run_the_queue(window, qtbot, set_options, tmp_path):
    set_options(window, size=64, iterations=3)
    paint(window, 100, (100, 160))
    add_with_shortcut(window, qtbot)
    panel = window.queue_panel
    assert window.queue_dock.isVisible() and panel.isVisible()
    item = panel.queue.items[-1]
    assert item.content == window.doc.content.path and item.styles == [s.path for s in window.doc.styles]
    assert item.settings["size"] == 64 and item.settings["iterations"] == 3
    # the mask is a label PNG of its own in the app's data folder, as the window would send it
    assert Path(item.content_mask).is_relative_to(tmp_path / "state")
    label = pixels(item.content_mask)
    assert tuple(label[100, 130]) == REGION_COLOURS[1] and tuple(label[10, 10]) == (0, 0, 0)
    paint(window, 200, (100, 160))  # a later edit leaves the queued job's mask alone
    assert tuple(pixels(item.content_mask)[200, 130]) == (0, 0, 0)

    with qtbot.waitSignal(panel.job_finished, timeout=180_000) as done:
        click(qtbot, panel.buttons["run"])
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=60_000)
    out = Path(done.args[1])
    assert out.is_file() and out.parent == tmp_path / "state" / "Queue results"
    assert item.status == "done" and max(pixels(out).shape[:2]) == 64
    assert "Queue: saved" in window.statusBar().currentMessage()


def test_closing_the_window_stops_a_running_queue_job(window, qtbot, set_options):
    set_options(window, size=64, iterations=5000)
    add_with_shortcut(window, qtbot)
    add_with_shortcut(window, qtbot)
    panel = window.queue_panel
    click(qtbot, panel.buttons["run"])
    first, second = panel.queue.items
    qtbot.waitUntil(lambda: first.fraction > 0, timeout=120_000)
    assert window.close()  # the questions fixture discards the unsaved changes
    assert not panel.is_running() and not window.isVisible()
    assert second.status == "queued"  # still queued, for the next start
    # the stopped job's outcome comes after the thread has ended: its best image so far is kept
    qtbot.waitUntil(lambda: first.status == "interrupted", timeout=30_000)
    assert Path(first.output).is_file() and not panel.is_running()
