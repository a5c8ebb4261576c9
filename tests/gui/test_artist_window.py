"""Issue 14: the window as an artist meets it, driven with real mouse, wheel and key events."""

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QToolBar

from engine.settings import Settings


def wheel(widget, steps: int = -3) -> None:
    """A real wheel event over the middle of `widget` (negative: towards the user)."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        widget.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def choose(qtbot, combo, data) -> None:
    """Open the combo box with the mouse and pick the entry holding `data` with
    the arrow keys and Enter (a click on the list right after it opens counts
    as the end of a press-drag in Qt, whose timing a test must not depend on)."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    for _ in range(combo.findData(data)):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible())


def tool_button(window, key):
    bar = window.findChild(QToolBar, "toolbar_main")
    return bar.widgetForAction(window.acts[key])


def test_the_wheel_over_an_unfocused_field_scrolls_the_panel_and_changes_nothing(window, qtbot):
    panel = window.options
    qtbot.mouseClick(panel.advanced, Qt.MouseButton.LeftButton)  # a long panel that scrolls
    window.options_dock.raise_()
    spin = panel.editors["tv_weight"]
    before = window.model.settings
    bar = panel.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # laid out with the advanced groups
    bar.setValue(bar.maximum() // 2)
    top = bar.value()
    wheel(spin)
    assert window.model.settings == before and spin.value() == before.tv_weight
    assert bar.value() != top  # the panel scrolled instead
    qtbot.mouseClick(spin, Qt.MouseButton.LeftButton)  # focused by a click: now the wheel edits it
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, steps=1)
    assert window.model.settings.tv_weight != before.tv_weight


def test_basic_shows_what_an_artist_decides_and_advanced_the_rest(window, qtbot, prefs):
    panel = window.options
    assert not panel.advanced.isChecked()
    shown = {name for name, editor in panel.editors.items() if editor.isVisibleTo(panel)}
    assert shown == {"size", "quality", "style_strength", "color"}
    labels = [panel.editors["color"].itemText(i) for i in range(panel.editors["color"].count())]
    assert "Keep photo colours" in labels and "luminance" not in labels
    qtbot.mouseClick(panel.advanced, Qt.MouseButton.LeftButton)
    assert panel.editors["step_rule"].isVisibleTo(panel) and panel.layer_table.isVisibleTo(panel)
    assert panel.editors["histogram_mode"].currentText() == "Cholesky"
    assert prefs.value("view/advanced") == "true"  # the next start opens the same view


def test_a_preset_after_a_preset_is_that_preset_alone_then_custom_on_an_edit(window, qtbot):
    panel = window.options
    choose(qtbot, panel.presets, "fine")
    assert window.model.settings.style_layers == {"relu1_1": 1.0, "relu2_1": 1.0, "relu3_1": 0.5}
    choose(qtbot, panel.presets, "strong")
    s = window.model.settings
    assert s.style_strength == 3.0 and s.style_layers == Settings().style_layers  # not fine's layers
    assert s.size == 64  # the size is the user's
    assert panel.presets.currentText() == "Strong style"
    spin = panel.editors["size"]
    qtbot.mouseClick(spin, Qt.MouseButton.LeftButton)
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert window.model.settings.size == 65 and panel.presets.currentText() == "Strong style"
    slider = panel.editors["style_strength"].slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert panel.presets.currentText() == "Custom"
    qtbot.mouseClick(panel.reset, Qt.MouseButton.LeftButton)
    assert window.model.settings == Settings() and panel.presets.currentText() == "Default"


def test_stop_says_stopping_before_the_worker_ends(window, qtbot, set_options):
    set_options(window, size=96, iterations=500)
    seen = []
    window.runner.controller.progress.connect(lambda p: seen.append(p.iteration))
    qtbot.mouseClick(tool_button(window, "run"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=60_000)
    with qtbot.waitSignal(window.runner.controller.cancelled, timeout=120_000):
        qtbot.mouseClick(tool_button(window, "stop"), Qt.MouseButton.LeftButton)
        # the click has returned and the worker's end has not been delivered yet
        assert window.runner.controller.is_running()
        assert window.run_panel.bar.format() == "Stopping…"
        assert not window.acts["stop"].isEnabled() and not window.acts["pause"].isEnabled()
    qtbot.waitUntil(lambda: not window.runner.controller.is_running(), timeout=60_000)
    assert window.doc.result is not None and "Stopped after" in window.run_panel.status.text()


def test_the_preview_with_photo_colours_is_in_colour(window, qtbot, set_options):
    set_options(window, size=64, iterations=6, preview_every=1, color="luminance")
    previews = []
    window.runner.controller.preview.connect(previews.append)
    with qtbot.waitSignal(window.runner.controller.finished, timeout=120_000):
        qtbot.mouseClick(tool_button(window, "run"), Qt.MouseButton.LeftButton)
    assert len(previews) >= 2
    for rgb in previews:
        rgb = np.asarray(rgb, np.float32)
        assert (rgb.max(-1) - rgb.min(-1)).mean() > 10  # the cat's colours, not grey


def test_the_run_button_says_how_long(window):
    text = window.acts["run"].text()
    assert text.startswith("Run (about ") and text.endswith(")")
    assert "normal quality" in window.acts["run"].toolTip() or "custom quality" in window.acts["run"].toolTip()


def test_styles_are_listed_by_file_name(window):
    names = [window.image_list.item(i).text() for i in range(window.image_list.count())]
    assert names[0].startswith("Photo: chelsea") and any(n.startswith("Style 1: van_gogh") for n in names)


def test_the_dark_theme_is_a_menu_choice_and_is_remembered(window, qtbot, prefs):
    from PySide6.QtGui import QPalette

    from gui import theme

    try:
        window.findChild(type(window.acts["run"]), "theme_dark").trigger()
        window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
        assert window_colour.lightness() < 80 and prefs.value("view/theme") == "dark"
    finally:
        theme.apply(QApplication.instance(), "system")
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() > 150
