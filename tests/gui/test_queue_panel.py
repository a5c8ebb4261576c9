"""The Queue panel on its own, driven with real mouse clicks: add, add photos,
reorder, duplicate, remove, run all with a broken photo, pause and stop, and
the queue found again after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from batch.queue import JobQueue
from gui.queue_panel import QueuePanel
from testimages import image_path

TINY = {"quality": "custom", "iterations": 3, "size": 64, "seed": 1}


@pytest.fixture
def photos(tmp_path) -> dict:
    out = {}
    for name, source in (
        ("cat", "chelsea.png"),
        ("coffee", "chelsea.png"),
        ("wave", "hokusai_great_wave_off_kanagawa.png"),
    ):
        with Image.open(image_path(source)) as im:
            im = im.convert("RGB")
            im.thumbnail((80, 80))
            im.save(tmp_path / f"{name}.png")
        out[name] = str(tmp_path / f"{name}.png")
    (tmp_path / "broken.png").write_bytes(Path(out["cat"]).read_bytes()[:300])
    out["broken"] = str(tmp_path / "broken.png")
    return out


def make_panel(qtbot, tmp_path, photos, settings=TINY):
    queue = JobQueue(tmp_path / "data", tmp_path / "results")
    doc = {"content": photos["cat"], "styles": [photos["wave"]], "settings": dict(settings)}
    panel = QueuePanel(queue, current_document=lambda: doc)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def click(qtbot, panel, key):
    button = panel.buttons[key]
    assert button.isEnabled(), f"{key} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_row(qtbot, panel, row):
    rect = panel.table.visualItemRect(panel.table.item(row, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected_id() == panel.queue.items[row].id


def contents(panel):
    return [Path(it.content).stem for it in panel.queue.items]


def test_edit_and_run_the_queue_with_clicks(qtbot, tmp_path, photos, monkeypatch):
    panel = make_panel(qtbot, tmp_path, photos)
    click(qtbot, panel, "add")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([photos["coffee"], photos["broken"]], ""))
    click(qtbot, panel, "photos")
    assert contents(panel) == ["cat", "coffee", "broken"] and panel.table.rowCount() == 3

    click_row(qtbot, panel, 1)
    click(qtbot, panel, "up")
    assert contents(panel) == ["coffee", "cat", "broken"]
    click(qtbot, panel, "duplicate")
    assert contents(panel) == ["coffee", "coffee", "cat", "broken"] and panel.selected_id() == panel.queue.items[1].id
    click(qtbot, panel, "remove")
    assert contents(panel) == ["coffee", "cat", "broken"]

    with qtbot.waitSignal(panel.queue_finished, timeout=180_000):
        click(qtbot, panel, "run")
    statuses = [it.status for it in panel.queue.items]
    assert statuses == ["done", "done", "failed"]
    assert "damaged or truncated" in panel.table.item(2, 2).text()
    assert [Path(it.output).name for it in panel.queue.items[:2]] == ["coffee__wave.png", "cat__wave.png"]
    for row in (0, 1):
        assert Path(panel.queue.items[row].output).is_file()
        assert not panel.table.item(row, 0).icon().isNull()  # the result's thumbnail
        assert panel.table.cellWidget(row, 3).value() == 100
    assert not panel.buttons["stop"].isEnabled()

    again = JobQueue(tmp_path / "data", tmp_path / "results")  # as after a restart
    assert [(it.content, it.status, it.output) for it in again.items] == [
        (it.content, it.status, it.output) for it in panel.queue.items
    ]


def test_pause_then_stop_keeps_the_best_image_and_the_rest_queued(qtbot, tmp_path, photos):
    panel = make_panel(qtbot, tmp_path, photos, settings={**TINY, "iterations": 5000})
    click(qtbot, panel, "add")
    click(qtbot, panel, "add")
    click(qtbot, panel, "run")
    first = panel.queue.items[0]
    qtbot.waitUntil(lambda: first.fraction > 0, timeout=120_000)
    with qtbot.waitSignal(panel.controller.holding, timeout=60_000):
        click(qtbot, panel, "pause")
    assert "Paused" in panel.message.text()
    held = first.fraction
    with qtbot.waitSignal(panel.queue_finished, timeout=60_000):
        click(qtbot, panel, "stop")
    assert first.fraction == held  # nothing ran while paused
    assert first.status == "interrupted" and "best image so far is saved" in first.reason
    assert Path(first.output).is_file()
    assert panel.queue.items[1].status == "queued"
    assert not panel.buttons["pause"].isChecked() and panel.buttons["run"].isEnabled()
