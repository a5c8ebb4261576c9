"""The mask editor driven with real mouse events on the canvas."""

import inspect

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from gui.palette import REGION_COLOURS


def widget_point(canvas, x, y) -> QPoint:
    return canvas.image_to_widget(x, y).toPoint()


def drag(canvas, points):
    """Press at the first image point, move through the rest, release at the last."""
    left = Qt.MouseButton.LeftButton
    QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, widget_point(canvas, *points[0]))
    for p in points[1:]:
        QTest.mouseMove(canvas, widget_point(canvas, *p))
    QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, widget_point(canvas, *points[-1]))


def weight(soft, colour, y, x) -> float:
    """A soft (colours, masks) mask's weight for `colour` at image row y, column x."""
    colours, masks = soft
    return float(masks[colours.index(tuple(colour)), y, x])


@pytest.fixture
def editor(window):
    window.view.show_key("content")
    ed = window.mask_editor
    window.mask_dock.raise_()
    ed.set_tool("brush")
    ed.size.setValue(12)
    ed.hardness.setValue(100)
    ed.region.select_region(2)
    return ed


def test_brush_stroke_paints_where_the_mouse_went(window, editor):
    canvas = window.canvas
    canvas.set_zoom(0.73)  # image and widget coordinates differ by scale and offset
    assert canvas.offset != (0.0, 0.0)
    drag(canvas, [(100, 150), (160, 150), (220, 150)])
    hard = window.doc.masks["content"].hard_labels()
    assert (hard[150, 100:221] == 2).all()  # the whole path, no gaps
    assert hard[150 + 20, 160] == 0 and hard[150 - 20, 160] == 0  # outside the brush
    assert hard[150, 300] == 0 and hard[50, 50] == 0
    tol = 2 / canvas.zoom + 1  # mouse positions are whole widget pixels
    rows = np.nonzero(hard[:, 160] == 2)[0]
    assert abs(rows.min() - (150 - 12)) <= tol and abs(rows.max() - (150 + 12)) <= tol
    assert canvas._overlay is not None


def test_eraser_undo_redo_and_clear(window, editor):
    canvas, mask = window.canvas, lambda: window.doc.masks["content"]
    drag(canvas, [(200, 100), (260, 100)])
    painted = mask().hard_labels().copy()
    editor.set_tool("eraser")
    editor.size.setValue(6)
    drag(canvas, [(230, 80), (230, 120)])
    assert mask().hard_labels()[100, 230] == 0 and mask().hard_labels()[100, 205] == 2
    window.acts["undo"].trigger()
    assert np.array_equal(mask().hard_labels(), painted)
    window.acts["redo"].trigger()
    assert mask().hard_labels()[100, 230] == 0
    editor.clear()
    assert mask().is_empty()
    window.acts["undo"].trigger()
    assert not mask().is_empty()


def test_a_soft_brush_reaches_the_engine_as_soft_weights(window, editor):
    editor.hardness.setValue(20)
    drag(window.canvas, [(100, 60), (160, 60)])
    content_mask, _ = window.doc.engine_masks()
    colours, masks = content_mask
    painted = masks[colours.index(tuple(REGION_COLOURS[1]))]
    across = painted[45:76, 130]  # a vertical line through the stroke
    assert across.max() == pytest.approx(1.0, abs=0.01)
    assert ((across > 0.05) & (across < 0.95)).sum() >= 4  # the edge is a ramp, not a cut at 50%
    assert np.allclose(masks.sum(0), 1.0)


def test_fill_with_a_click(window, editor):
    editor.region.select_region(3)
    editor.set_tool("fill")
    drag(window.canvas, [(30, 30)])
    hard = window.doc.masks["content"].hard_labels()
    assert (hard == 3).all()


def test_view_tool_pans_instead_of_painting(window, editor):
    editor.set_tool("view")
    before = window.canvas.offset
    drag(window.canvas, [(100, 100), (150, 120)])
    assert window.doc.masks["content"].is_empty()
    assert window.canvas.offset != before


def test_overlay_opacity(window, editor):
    drag(window.canvas, [(100, 100)])
    editor.opacity.setValue(40)
    img = window.canvas._overlay.toImage()
    px = img.pixelColor(100, 100)
    assert (px.red(), px.green(), px.blue()) == REGION_COLOURS[1] and abs(px.alpha() - 102) <= 1


def test_style_image_mask_and_region_assignment(window, editor, qtbot):
    window.add_style(__import__("resources").sample_path("style2"))
    window.view.show_key("content")
    drag(window.canvas, [(40, 40), (120, 40)])  # region 2 on the content
    editor.region.select_region(1)
    drag(window.canvas, [(300, 200)])  # region 1 on the content
    assert editor.assign.rowCount() == 2
    combo = editor.assign.cellWidget(1, 1)  # region 2's row
    combo.setCurrentIndex(combo.findData(1))  # -> Style 2
    assert window.doc.region_styles == {2: 1}
    content_mask, style_masks = window.doc.engine_masks()
    assert weight(content_mask, REGION_COLOURS[1], 40, 80) == 1.0 and weight(content_mask, (0, 0, 0), 150, 150) == 1.0
    assert style_masks[0] is None and style_masks[1][0] == [tuple(REGION_COLOURS[1])]
    assert (style_masks[1][1] == 1.0).all()  # the whole Great Wave serves region 2
    engine_masks = pytest.importorskip("engine.losses.masks")
    pairs = {r.colour: r.style_index for r in engine_masks.pair_regions(content_mask, style_masks)}
    assert pairs == {REGION_COLOURS[1]: 1, REGION_COLOURS[0]: 0, (0, 0, 0): 0}
    # paint on style 1 itself: its own mask is sent
    window.view.show_key("style0")
    drag(window.canvas, [(100, 100)])
    _, style_masks = window.doc.engine_masks()
    assert weight(style_masks[0], REGION_COLOURS[0], 100, 100) == 1.0
    # now every style has a mask, so the one sent whole becomes the fallback for the unpainted content
    assert style_masks[1] is None


def test_mask_png_export_and_import(window, editor, tmp_path):
    drag(window.canvas, [(100, 100), (140, 100)])
    saved = window.doc.masks["content"].hard_labels().copy()
    path = tmp_path / "mask.png"
    assert editor.export_png(str(path))
    editor.clear()
    assert editor.import_png(str(path))
    assert np.array_equal(window.doc.masks["content"].hard_labels(), saved)


def test_masks_reach_the_engine_when_it_takes_them(window, editor, qtbot, monkeypatch):
    import engine.api

    drag(window.canvas, [(100, 100), (140, 100)])
    got = {}
    real = engine.api.stylize

    def spy(*args, **kwargs):
        got.update(kwargs)
        return real(*args, **{k: v for k, v in kwargs.items() if k in inspect.signature(real).parameters})

    spy.__signature__ = inspect.signature(real)
    monkeypatch.setattr(engine.api, "stylize", spy)
    with qtbot.waitSignal(window.runner.controller.idle, timeout=60000):
        window.runner.run()
    if "content_mask" in inspect.signature(real).parameters:
        colours, masks = got["content_mask"]  # soft: (colours, weights per pixel)
        assert weight((colours, masks), REGION_COLOURS[1], 100, 120) == 1.0  # hardness 100: fully painted
        assert np.allclose(masks.sum(0), 1.0)
    else:
        assert "content_mask" not in got  # an engine without masks is not sent them
