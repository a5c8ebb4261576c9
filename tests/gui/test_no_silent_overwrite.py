"""Files the window writes are never replaced without a confirmation; worker
errors reach the user as a dialog with a sentence (issue 12, section 6)."""

from PySide6.QtWidgets import QFileDialog, QMessageBox

B = QMessageBox.StandardButton


def _boxes(window):
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def _answer(monkeypatch, button):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or button)
    return asked


def test_save_session_as_asks_before_replacing(window, monkeypatch, tmp_path):
    target = tmp_path / "other-work.nss"
    target.write_text("someone else's session")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked = _answer(monkeypatch, B.No)
    assert not window.sessions.save(ask=True)
    assert asked == ["Replace file?"] and target.read_text() == "someone else's session"
    assert window.sessions.path is None
    _answer(monkeypatch, B.Yes)
    assert window.sessions.save(ask=True)
    assert target.read_text().startswith("{") and window.sessions.path == str(target)


def test_save_as_adds_the_extension(window, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "plain"), ""))
    assert window.sessions.save(ask=True)
    assert (tmp_path / "plain.nss").is_file() and not (tmp_path / "plain").exists()


def test_mask_png_export_asks_before_replacing_and_writes_atomically(window, monkeypatch, tmp_path):
    mask = window.doc.mask("content")
    mask.label[5:20, 5:20] = 1
    mask.cover[5:20, 5:20] = 255
    window.view.show_key("content")
    target = tmp_path / "mask.png"
    target.write_bytes(b"precious")
    asked = _answer(monkeypatch, B.No)
    assert not window.mask_editor.export_png(str(target))
    assert asked == ["Replace file?"] and target.read_bytes() == b"precious"
    _answer(monkeypatch, B.Yes)
    assert window.mask_editor.export_png(str(target))
    assert target.read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_unexpected_worker_error_is_a_sentence_in_a_dialog(window, qtbot, monkeypatch):
    import engine.api

    def broken(*a, **k):
        raise KeyError("relu9_9")

    monkeypatch.setattr(engine.api, "stylize", broken)
    with qtbot.waitSignal(window.runner.controller.idle, timeout=30_000):
        window.acts["run"].trigger()
    boxes = _boxes(window)
    assert len(boxes) == 1
    text = boxes[0].text()
    assert text.startswith("The run stopped on an unexpected error") and "relu9_9" in text and text.endswith(".")
    assert "Traceback" not in text and window.acts["run"].isEnabled()


def test_running_out_of_memory_says_what_to_do():
    from gui.dialogs import error_sentence

    assert "smaller size" in error_sentence(RuntimeError("CUDA out of memory. Tried to allocate 2 GiB"))
    assert "smaller size" in error_sentence(MemoryError())
    assert "permissions" in error_sentence(PermissionError(13, "Permission denied"))


def test_an_uncaught_error_in_the_window_becomes_a_dialog(window, monkeypatch, capsys):
    import sys

    from gui.dialogs import install_error_dialog

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_error_dialog(window)
    try:
        raise ValueError("a slot broke")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    boxes = _boxes(window)
    assert len(boxes) == 1 and "Something went wrong (ValueError: a slot broke)" in boxes[0].text()
    assert "Traceback" in capsys.readouterr().err  # kept for a bug report
