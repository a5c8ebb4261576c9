"""Save changes? (Save / Discard / Cancel) before quitting, opening another
photo, loading a session or File > New (issue 12, section 6)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from resources import sample_path

B = QMessageBox.StandardButton


def answer_with(monkeypatch, button):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or button)
    return asked


def paint_a_mask(window):
    mask = window.doc.mask("content")
    mask.label[5:20, 5:20] = 1
    mask.cover[5:20, 5:20] = 255
    window.sessions.mark_dirty()


def test_a_fresh_window_is_clean_and_its_title_says_untitled(window):
    assert not window.sessions.dirty and not window.isWindowModified()
    assert window.windowTitle().startswith("Untitled")


def test_a_finished_result_mask_edits_and_settings_make_it_dirty(window, qtbot, set_options):
    with qtbot.waitSignal(window.runner.result_ready, timeout=120_000):
        window.acts["run"].trigger()
    assert window.sessions.dirty and window.isWindowModified()
    window.sessions.dirty = False
    set_options(window, seed=3)
    assert window.sessions.dirty


def test_cancel_keeps_the_window_open(window, monkeypatch):
    paint_a_mask(window)
    asked = answer_with(monkeypatch, B.Cancel)
    assert not window.close()
    assert asked == ["Save changes?"] and window.isVisible()


def test_discard_quits(window, monkeypatch):
    paint_a_mask(window)
    answer_with(monkeypatch, B.Discard)
    assert window.close()


def test_save_asks_for_a_name_and_a_cancelled_file_dialog_cancels(window, monkeypatch, tmp_path):
    paint_a_mask(window)
    answer_with(monkeypatch, B.Save)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not window.close() and window.isVisible()
    target = tmp_path / "kept.nss"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.close()
    assert target.is_file() and window.sessions.path == str(target)


def test_opening_another_photo_asks_and_cancel_keeps_the_masks(window, monkeypatch):
    paint_a_mask(window)
    content = window.doc.content
    answer_with(monkeypatch, B.Cancel)
    assert not window.open_content(str(sample_path("style2")))
    assert window.doc.content is content and not window.doc.mask("content").is_empty()
    answer_with(monkeypatch, B.Discard)
    assert window.open_content(str(sample_path("style2")))
    assert window.doc.content is not content


def test_loading_a_session_asks_first(window, monkeypatch, tmp_path):
    path = tmp_path / "other.nss"
    assert window.sessions.save(path=str(path))
    paint_a_mask(window)
    asked = answer_with(monkeypatch, B.Cancel)
    assert not window.sessions.load(str(path))
    assert asked and not window.doc.mask("content").is_empty()
    answer_with(monkeypatch, B.Discard)
    assert window.sessions.load(str(path)) and window.doc.mask("content").is_empty()
    assert not window.sessions.dirty and window.windowTitle().startswith("other.nss")


def test_ctrl_n_starts_again_from_the_samples(window, qtbot, monkeypatch, tmp_path, set_options):
    window.add_style(str(sample_path("style2")))
    set_options(window, seed=42)
    assert window.sessions.save(path=str(tmp_path / "s.nss"))
    paint_a_mask(window)
    asked = answer_with(monkeypatch, B.Cancel)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Save changes?"] and len(window.doc.styles) == 2
    answer_with(monkeypatch, B.Discard)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(window.doc.styles) == 1 and window.doc.mask("content").is_empty()
    assert window.model.settings.seed != 42
    assert window.sessions.path is None and not window.sessions.dirty
    assert window.windowTitle().startswith("Untitled")


def test_nothing_unsaved_asks_nothing(window, questions):
    assert window.open_content(str(sample_path("style2")))
    window.sessions.dirty = False
    assert window.close()
    assert questions == []


def test_save_to_the_known_file_then_quit(window, monkeypatch, tmp_path):
    path = tmp_path / "known.nss"
    assert window.sessions.save(path=str(path))
    paint_a_mask(window)
    before = path.read_text()
    answer_with(monkeypatch, B.Save)
    assert window.close()
    assert path.read_text() != before


def start_a_long_run(window, qtbot, set_options):
    set_options(window, size=96, iterations=500, quality="custom")
    window.sessions.dirty = False  # as if those settings were saved: only the run itself is at stake
    seen = []
    window.runner.controller.progress.connect(lambda p: seen.append(p.iteration))
    window.acts["run"].trigger()
    qtbot.waitUntil(lambda: any(i > 0 for i in seen), timeout=120_000)
    assert not window.sessions.dirty  # a run in progress has no result yet


def test_file_new_during_a_run_asks_first_and_cancel_keeps_it_running(window, qtbot, set_options, monkeypatch):
    start_a_long_run(window, qtbot, set_options)
    asked = answer_with(monkeypatch, B.Cancel)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Stop the run?"]
    assert window.runner.controller.is_running() and not window.runner.controller.is_stopping()
    window.runner.stop()  # the user's way to keep the picture: Stop, then New asks "Save changes?"
    qtbot.waitUntil(lambda: not window.runner.controller.is_running(), timeout=120_000)
    assert window.doc.result is not None and window.sessions.dirty
    asked.clear()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Save changes?"]


def test_quit_during_a_run_asks_and_discard_stops_it(window, qtbot, set_options, monkeypatch):
    start_a_long_run(window, qtbot, set_options)
    asked = answer_with(monkeypatch, B.Discard)
    assert window.close()
    assert asked == ["Stop the run?"]
    assert not window.runner.controller.is_running()
    assert window.runner.panel.status.text() == "The run was discarded."


def test_export_during_a_first_run_says_to_wait_or_stop(window, qtbot, set_options):
    start_a_long_run(window, qtbot, set_options)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "press Stop (Esc) to keep its best image" in boxes[0].text()
    assert window.runner.controller.is_running()  # asking changed nothing
    boxes[0].close()
