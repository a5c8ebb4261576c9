"""Keyboard use of the main window: Tab walks the main panels left to right, top to bottom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def tab(qtbot, backwards: bool = False):
    widget = QApplication.focusWidget()
    qtbot.keyClick(
        widget,
        Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab,
        Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier,
    )
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not widget)
    return QApplication.focusWidget()


def test_tab_walks_the_images_the_canvas_then_the_options(window, qtbot):
    window.view.show_key("result")  # the before/after slider takes part when there is something to compare
    window.options_dock.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.image_list.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: window.image_list.hasFocus())
    seen = [tab(qtbot) for _ in range(6)]
    assert seen[:2] == [window.canvas, window.split_slider]
    options = [w for w in seen[2:] if window.options.isAncestorOf(w) or w is window.options]
    assert options == seen[2:], "after the canvas, Tab goes on in the Options dock"
    assert window.options.presets in seen  # the first control of the Options dock, top to bottom
    assert tab(qtbot, backwards=True) is seen[-2]


def mnemonic(text: str) -> str:
    """The letter after a single '&' (Alt+letter opens the menu); '' when there is none."""
    i = text.replace("&&", "").find("&")
    return text.replace("&&", "")[i + 1].lower() if i >= 0 else ""


def test_every_menu_has_its_own_alt_letter_and_it_opens_that_menu(window, qtbot):
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    letters = [mnemonic(m.title()) for m in menus]
    assert all(letters) and len(set(letters)) == len(letters), [m.title() for m in menus]
    video = next(m for m in menus if m.title().replace("&", "") == "Video")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, mnemonic(video.title()), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(video.isVisible)  # Alt+I opens Video, not View (both once had V)
    video.close()
