"""Export like any editor: common sizes with their pixels, a custom size, the folder and format remembered,
and "Saved to …" with a way to show the file in its folder (issue 14), driven with real mouse and key events."""

import re

import numpy as np
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtWidgets import QDialogButtonBox

from engine.api import stylize
from engine.image.io import load_image, resize_to
from engine.pipeline import estimate
from engine.settings import Settings
from gui import jobs
from gui.export import CUSTOM, ExportDialog, SavedNotice, print_side, screen_side
from resources import sample_path

LEFT = Qt.MouseButton.LeftButton


def run_and_wait(window, qtbot):
    with qtbot.waitSignal(window.runner.controller.idle, timeout=60000):
        assert window.runner.run()


def labels(dialog):
    return [dialog.size.itemText(i) for i in range(dialog.size.count())]


def enabled(dialog, i):
    return bool(dialog.size.model().item(i).isEnabled())


def test_print_sizes_are_inches_times_300():
    assert print_side(10) == 3000  # 8 x 10 in
    assert print_side(15 / 2.54) == 1772  # 10 x 15 cm
    assert print_side(297 / 25.4) == 3508  # A4's long side
    assert print_side(420 / 25.4) == 4961  # A3's long side


def test_a_print_is_refined_at_twice_the_result_and_enlarged_from_there():
    # refined at 1772 px the strokes shrank to a texture of fine dots (bench/print_export.py)
    assert jobs.export_steps(512, 1772) == [(1024, 15), (1772, 0)]
    settings = jobs.export_settings(Settings(size=512), 1772, 512)
    assert settings.passes == [(1024, 15), (1772, 0)] and settings.output_size == 1772
    assert settings.style_scale == 1.5  # the painting's strokes larger, so the pass paints strokes, not dots
    assert jobs.export_settings(Settings(size=512, style_scales=[0.5, 2.0]), 1772, 512).style_scales == [0.75, 3.0]
    for side in (1025, print_side(10), print_side(297 / 25.4), print_side(420 / 25.4)):
        assert max(s for s, n in jobs.export_steps(512, side) if n) == 1024
    # the estimate follows the steps: the enlargement costs nothing it counts, the pass at 1024 px all
    key, hw = estimate.current_key(settings), (300, 451)
    seconds = estimate.export_seconds(jobs.export_steps(512, 1772), hw, key)
    assert seconds == estimate.export_seconds([(1024, 15)], hw, key)
    assert seconds < 0.5 * estimate.export_seconds([(1024, 6), (1772, 10)], hw, key)  # the old plan


def test_above_twice_the_result_the_export_is_the_refined_picture_enlarged():
    content, style = load_image(sample_path("content")).rgb, load_image(sample_path("style")).rgb
    base = Settings(size=64, quality="draft")
    approved = stylize(content, [style], base).image
    refined = stylize(content, [style], jobs.export_settings(base, 128, 64), init=approved).image
    print_ = stylize(content, [style], jobs.export_settings(base, 256, 64), init=approved).image
    assert max(refined.shape[:2]) == 128 and max(print_.shape[:2]) == 256
    np.testing.assert_allclose(print_, resize_to(refined, print_.shape[1::-1]), atol=1e-5)


def test_each_size_shows_its_pixels_and_smaller_ones_cannot_be_chosen(qtbot, tmp_path):
    dialog = ExportDialog(1024, str(tmp_path / "cat.png"), screen=2560)
    qtbot.addWidget(dialog)
    assert labels(dialog) == [
        "As shown (1024 px)",
        "Screen (2560 px)",
        "2× (2048 px)",
        "4× (4096 px)",
        "10 × 15 cm print, 300 dpi (1772 px)",
        "8 × 10 in print, 300 dpi (3000 px)",
        "A4 print, 300 dpi (3508 px)",
        "A3 print, 300 dpi (4961 px)",
        "Custom",
    ]
    assert all(enabled(dialog, i) for i in range(dialog.size.count()))
    small = ExportDialog(2048, str(tmp_path / "cat.png"), screen=1920)
    qtbot.addWidget(small)
    assert [small.size.itemData(i) for i in range(small.size.count()) if not enabled(small, i)] == [1920, 1772]
    small.show()
    small.size.setFocus()
    qtbot.keyClick(small.size, Qt.Key.Key_Down)  # the keyboard skips the screen size, smaller than the result
    assert small.size.currentData() == 4096 and small.long_side() == 4096


def test_the_screen_entry_is_the_primary_screens_long_side(qtbot, tmp_path):
    dialog = ExportDialog(64, str(tmp_path / "cat.png"))
    qtbot.addWidget(dialog)
    assert screen_side() > 0 and f"Screen ({screen_side()} px)" in labels(dialog)


def test_a_custom_size_is_typed_in_pixels(qtbot, tmp_path):
    seen = []
    dialog = ExportDialog(512, str(tmp_path / "cat.png"), estimate=lambda side: seen.append(side) or f"about {side}")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.custom.isEnabled()
    dialog.size.setFocus()
    qtbot.keyClick(dialog.size, Qt.Key.Key_End)  # the last entry: Custom
    assert dialog.size.currentData() == CUSTOM and dialog.custom.isEnabled()
    dialog.custom.setFocus()
    qtbot.keyClick(dialog.custom, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.custom, "5000")
    assert dialog.choice() == (str(tmp_path / "cat.png"), 8, 5000)
    assert dialog.time.text() == "about 5000 on this computer" and seen[-1] == 5000
    assert (dialog.custom.minimum(), dialog.custom.maximum()) == (512, 16384)  # never smaller than the result
    qtbot.keyClick(dialog.custom, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.custom, "99999")
    assert dialog.long_side() <= 16384


def test_the_dialog_remembers_the_folder_and_format_in_the_preferences(qtbot, tmp_path, prefs):
    elsewhere = tmp_path / "prints"
    elsewhere.mkdir()
    first = ExportDialog(64, str(tmp_path / "cat-styled.png"), prefs=prefs)
    qtbot.addWidget(first)
    first.show()
    first.path.selectAll()
    qtbot.keyClicks(first.path, str(elsewhere / "mine.png"))
    first.format.setFocus()
    qtbot.keyClick(first.format, Qt.Key.Key_End)  # TIFF, 16-bit
    with qtbot.waitSignal(first.accepted, timeout=5000):
        qtbot.mouseClick(first.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
    again = ExportDialog(64, str(tmp_path / "dog-styled.png"), prefs=prefs)
    qtbot.addWidget(again)
    assert again.path.text() == str(elsewhere / "dog-styled.tif") and again.format.currentText() == "TIFF, 16-bit"
    cancelled = ExportDialog(64, str(tmp_path / "x.png"), prefs=prefs)  # cancelling changes nothing
    qtbot.addWidget(cancelled)
    cancelled.path.setText(str(tmp_path / "x.png"))
    cancelled.show()
    with qtbot.waitSignal(cancelled.rejected, timeout=5000):
        qtbot.mouseClick(cancelled.buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)
    assert prefs.value("export/folder") == str(elsewhere)


def export_with_the_dialog(window, qtbot, fill_in):
    """File > Export through the real dialog: `fill_in(dialog)` runs in its event loop and presses Save."""

    def drive():
        dialog = window.runner.dialog
        try:
            fill_in(dialog)
        finally:
            if dialog.isVisible():  # a failing step must not leave the test in a modal loop
                dialog.reject()

    QTimer.singleShot(0, drive)
    window.acts["export"].trigger()


def test_export_says_where_it_saved_shows_the_folder_and_remembers_it(window, qtbot, tmp_path):
    run_and_wait(window, qtbot)
    folder = tmp_path / "my exports"
    folder.mkdir()
    target = folder / "cat.png"
    first = {}

    def fill_in(dialog):
        first["suggested"] = dialog.path.text()
        dialog.path.selectAll()
        qtbot.keyClicks(dialog.path, str(target))
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)

    with qtbot.waitSignal(window.runner.exported, timeout=30000) as written:
        export_with_the_dialog(window, qtbot, fill_in)
    assert written.args == [str(target)] and target.read_bytes()[:4] == b"\x89PNG"
    notices = [n for n in window.findChildren(SavedNotice) if n.isVisible()]
    assert len(notices) == 1 and notices[0].text() == f"Saved to {target}"
    assert notices[0].show_button.text() == "Show in folder"
    opened = []
    notices[0].opener = opened.append  # not a real file manager in a test
    qtbot.mouseClick(notices[0].show_button, LEFT)
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert window.isEnabled() and notices[0].windowModality() == Qt.WindowModality.NonModal  # it blocks nothing

    second = {}

    def look(dialog):
        second["suggested"] = dialog.path.text()
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)

    export_with_the_dialog(window, qtbot, look)
    assert first["suggested"] != second["suggested"]
    assert second["suggested"].startswith(str(folder) + "/") and second["suggested"].endswith(".png")


def test_a_refused_replace_writes_nothing_and_says_nothing_saved(window, qtbot, tmp_path, questions):
    run_and_wait(window, qtbot)
    out = tmp_path / "exists.png"
    out.write_bytes(b"precious")
    assert not window.runner.export(str(out))  # the questions fixture answers No
    assert out.read_bytes() == b"precious" and "already exists" in questions[-1]
    assert not [n for n in window.findChildren(SavedNotice) if n.isVisible()]


def test_a_larger_export_ends_with_saved_to_as_well(window, qtbot, tmp_path, monkeypatch):
    from gui import jobs

    run_and_wait(window, qtbot)
    monkeypatch.setattr(jobs, "export_steps", lambda current, long_side: [(long_side, 0)])  # enlarge only: quick
    out = tmp_path / "big.png"
    with qtbot.waitSignal(window.runner.exported, timeout=120000):
        assert window.runner.export(str(out), 8, 128)
    notices = [n for n in window.findChildren(SavedNotice) if n.isVisible()]
    assert [n.text() for n in notices] == [f"Saved to {out}"]
    assert re.fullmatch(r"Export refined in \d+ s \(0 iterations\): 128 px", window.run_panel.status.text())
