"""The engine's checks in the window's words: Run at a size the network
cannot take, or with a scale per style that does not match the style
images, is refused before the run with a sentence naming the Settings
panel's control, never the command line's --size or --style-scales. The
real window, a real wide PNG, its option boxes typed into and Ctrl+R pressed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QSpinBox

from engine.image.write import save_image
from engine.pipeline.checks import min_network_side
from testimages import load_small


def messages(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox, "message_dialog") if box.isVisible()]


def type_size(window, qtbot, value: int) -> None:
    window.options_dock.show()
    spin = window.options.findChild(QSpinBox, "option_size")
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), str(value))
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.settings.size == value)


def test_run_at_a_size_the_network_cannot_take_names_the_size_control(window, qtbot, tmp_path):
    wide = tmp_path / "wide.png"
    save_image(wide, load_small("chelsea.png", 120)[10:50, :64])  # 64 x 40
    assert window.open_content(str(wide))
    type_size(window, qtbot, 32)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    texts = messages(window)
    need = min_network_side(window.model.settings)
    assert len(texts) == 1 and texts[0].startswith(
        f"At 32 px the 64x40 image would be only 20 px on its short side, but the network needs at least {need} px"
    ), texts
    assert texts[0].endswith("; set Size (long side, px) to 51 or more.") and "--" not in texts[0], texts
    assert not window.runner.controller.is_running() and window.doc.result is None
    box = next(b for b in window.findChildren(QMessageBox, "message_dialog") if b.isVisible())
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not messages(window))
    type_size(window, qtbot, 51)  # the size the sentence names runs
    window.activateWindow()
    with qtbot.waitSignal(window.runner.result_ready, timeout=120000):
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert max(window.doc.result.shape[:2]) == 51


def test_run_with_one_scale_too_many_per_style_names_the_control(window, qtbot):
    styles = len(window.doc.styles)
    qtbot.mouseClick(window.options.advanced, Qt.MouseButton.LeftButton)
    line = window.options.findChild(QLineEdit, "option_style_scales")
    qtbot.waitUntil(line.isVisible)
    line.selectAll()
    qtbot.keyClicks(line, ", ".join(["1"] * (styles + 1)))
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.model.settings.style_scales) == styles + 1)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    there = "is 1 style image" if styles == 1 else f"are {styles} style images"
    assert messages(window) == [
        f"Scale of each style has {styles + 1} values but there {there}; give one scale per style image."
    ]
    assert not window.runner.controller.is_running()


def test_a_run_that_does_not_fit_in_memory_is_told_in_the_windows_words(window, qtbot, monkeypatch, set_options):
    """The engine refuses in the worker (its memory check; the localised loss cannot go in tiles);
    the dialog names the panel's controls."""
    import engine.pipeline.memory as memory

    set_options(window, local_window=3)
    monkeypatch.setattr(memory, "available_bytes", lambda device: 1 << 20)  # a machine with 1 MiB free
    with qtbot.waitSignal(window.runner.controller.failed, timeout=60_000):
        window.acts["run"].trigger()
    qtbot.waitUntil(lambda: bool(messages(window)))
    text = messages(window)[0]
    assert "is free on cpu" in text and "--" not in text
    assert "or lower L-BFGS history (Advanced)." in text
