"""The Queue dock's output folder, with real clicks: shown, changed through the
folder dialog (patched the way the other file dialogs are in these tests),
remembered at the next start, refused in one sentence when it is a file,
opened in the file manager, and a finished job's file shown in its folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QFileDialog

from batch.queue import JobQueue
from gui.main_window import MainWindow
from gui.queue_output import PREF_KEY


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def folder_dialog(monkeypatch, answer: str) -> list:
    """QFileDialog.getExistingDirectory answers `answer`; the start folders it was given are recorded."""
    asked: list = []
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda parent, title, start, *a: asked.append(start) or answer
    )
    return asked


def open_queue(window):
    window.queue_dock.show()
    window.queue_dock.raise_()
    return window.queue_panel


def test_change_the_folder_run_a_job_into_it_and_show_the_file(
    window, qtbot, monkeypatch, tmp_path, set_options, prefs
):
    panel = open_queue(window)
    row = panel.output
    default = tmp_path / "state" / "Queue results"
    assert row.label.text() == f"Output folder: {default}" and row.label.isVisible()
    assert not row.buttons["file"].isEnabled()  # no job chosen yet
    chosen = tmp_path / "renders" / "night"  # not there yet: made when chosen
    asked = folder_dialog(monkeypatch, str(chosen))
    click(qtbot, row.buttons["change"])
    assert asked == [str(default)] and chosen.is_dir()
    assert panel.queue.output_dir == chosen and row.label.text() == f"Output folder: {chosen}"
    assert prefs.value(PREF_KEY) == str(chosen)

    set_options(window, size=64, iterations=3)
    click(qtbot, panel.buttons["add"])
    with qtbot.waitSignal(panel.job_finished, timeout=180_000) as done:
        click(qtbot, panel.buttons["run"])
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=60_000)
    out = Path(done.args[1])
    assert out.is_file() and out.parent == chosen

    opened: list[QUrl] = []
    row.opener = opened.append
    rect = panel.table.visualItemRect(panel.table.item(0, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.table.actions()[0].isEnabled()  # the row's context menu: Show file in folder
    click(qtbot, row.buttons["file"])
    click(qtbot, row.buttons["show"])
    assert [u.toLocalFile() for u in opened] == [str(chosen), str(chosen)]


def test_the_chosen_folder_is_used_again_at_the_next_start(window, qtbot, monkeypatch, tmp_path, prefs):
    chosen = tmp_path / "mine"
    folder_dialog(monkeypatch, str(chosen))
    click(qtbot, open_queue(window).output.buttons["change"])
    again = MainWindow(prefs=prefs, state_dir=tmp_path / "state2", load_samples=False)
    qtbot.addWidget(again)
    assert again.queue_panel.queue.output_dir == chosen
    assert again.queue_panel.output.label.text() == f"Output folder: {chosen}"


def test_a_cancelled_dialog_or_a_file_changes_nothing(window, qtbot, monkeypatch, tmp_path, prefs):
    panel = open_queue(window)
    before = panel.queue.output_dir
    folder_dialog(monkeypatch, "")
    click(qtbot, panel.output.buttons["change"])
    assert panel.queue.output_dir == before and prefs.value(PREF_KEY) is None and panel.message.text() == ""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    folder_dialog(monkeypatch, str(a_file))
    click(qtbot, panel.output.buttons["change"])
    assert panel.queue.output_dir == before and prefs.value(PREF_KEY) is None
    assert panel.message.text() == f"{a_file} is a file, not a folder: choose a folder for the queue's results."
    assert a_file.read_text() == "not a folder"


def test_show_in_folder_makes_the_folder_when_nothing_was_written_yet(window, qtbot, tmp_path):
    row = open_queue(window).output
    opened: list[QUrl] = []
    row.opener = opened.append
    folder = tmp_path / "state" / "Queue results"
    assert not folder.exists()
    click(qtbot, row.buttons["show"])
    assert folder.is_dir() and [u.toLocalFile() for u in opened] == [str(folder)]


def test_the_queue_refuses_a_folder_it_cannot_make(tmp_path):
    queue = JobQueue(tmp_path / "data", tmp_path / "out")
    (tmp_path / "notes.txt").write_text("a file")
    inside_a_file = tmp_path / "notes.txt" / "renders"
    try:
        queue.set_output_dir(inside_a_file)
    except ValueError as exc:
        assert str(exc) == f"The folder {inside_a_file} cannot be made (Not a directory): choose another one."
    else:
        raise AssertionError("a folder inside a file was accepted")
    assert queue.output_dir == tmp_path / "out" and not (tmp_path / "data" / "queue.json").exists()
