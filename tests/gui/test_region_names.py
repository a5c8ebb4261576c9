"""Mask regions have names the user edits in place (double-click or F2), kept in the session file
(issue 14), driven with real mouse and key events."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox

from gui.palette import REGION_COLOURS
from gui.region_names import MAX_NAME_LENGTH, clean_name, region_name, set_region_name

LEFT = Qt.MouseButton.LeftButton


def drag(canvas, points):
    at = [canvas.image_to_widget(x, y).toPoint() for x, y in points]
    QTest.mousePress(canvas, LEFT, Qt.KeyboardModifier.NoModifier, at[0])
    for p in at[1:]:
        QTest.mouseMove(canvas, p)
    QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, at[-1])


def row_point(regions, region):
    return regions.visualItemRect(regions.item(region - 1)).center()


def name_editor(regions):
    editors = [e for e in regions.findChildren(QLineEdit) if e.objectName() == "region_name_editor" and e.isVisible()]
    return editors[0] if editors else None


def rename(qtbot, regions, region, text, how="F2"):
    """Select `region` with a click, open its name with F2 or a double-click, type `text`, press Enter."""
    qtbot.mouseClick(regions.viewport(), LEFT, pos=row_point(regions, region))
    if how == "F2":
        qtbot.keyClick(regions, Qt.Key.Key_F2)
    else:
        qtbot.mouseDClick(regions.viewport(), LEFT, pos=row_point(regions, region))
    qtbot.waitUntil(lambda: name_editor(regions) is not None, timeout=5000)
    editor = name_editor(regions)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: name_editor(regions) is None, timeout=5000)


@pytest.fixture
def editor(window, qtbot):
    window.view.show_key("content")
    window.mask_dock.raise_()
    ed = window.mask_editor
    qtbot.waitUntil(ed.region.isVisible, timeout=5000)
    ed.size.setValue(12)
    ed.hardness.setValue(100)
    return ed


def texts(regions):
    return [regions.item(i).text() for i in range(regions.count())]


def test_names_are_cleaned_and_the_default_is_not_stored():
    from gui.document import Document

    doc = Document()
    assert region_name(doc, 3) == "Region 3"
    assert set_region_name(doc, 3, "  Sky \n above ") and doc.region_names == {3: "Sky above"}
    assert not set_region_name(doc, 3, "Sky above")  # no change
    assert set_region_name(doc, 3, "   ") and doc.region_names == {} and region_name(doc, 3) == "Region 3"
    assert clean_name("x" * 300, 1) == "x" * MAX_NAME_LENGTH
    with pytest.raises(ValueError):
        set_region_name(doc, 9, "nine")


def test_a_region_is_renamed_in_place_and_the_brush_paints_the_clicked_one(window, editor, qtbot):
    regions = editor.region
    assert texts(regions)[:3] == ["Region 1", "Region 2", "Region 3"]
    assert not regions.item(0).icon().isNull()  # its colour swatch
    window.sessions.dirty = False
    rename(qtbot, regions, 2, "Sky")
    rename(qtbot, regions, 1, "Water", how="double-click")
    assert texts(regions)[:3] == ["Water", "Sky", "Region 3"]
    assert window.doc.region_names == {1: "Water", 2: "Sky"} and window.sessions.dirty
    qtbot.mouseClick(regions.viewport(), LEFT, pos=row_point(regions, 2))
    editor.set_tool("brush")
    drag(window.canvas, [(100, 100), (140, 100)])
    assert window.doc.masks["content"].hard_labels()[100, 120] == 2  # the clicked region, Sky
    assert editor.assign.item(0, 0).text() == "Sky"  # the region -> style table names it too
    assert "#" not in editor.assign.item(0, 0).text()
    rename(qtbot, regions, 2, "")  # an empty name goes back to the default
    assert texts(regions)[1] == "Region 2" and window.doc.region_names == {1: "Water"}
    assert editor.assign.item(0, 0).text() == "Region 2"


def test_a_name_cannot_be_typed_longer_than_the_limit(window, editor, qtbot):
    rename(qtbot, editor.region, 4, "y" * (MAX_NAME_LENGTH + 20))
    assert window.doc.region_names == {4: "y" * MAX_NAME_LENGTH}


def test_undo_still_undoes_strokes_after_and_during_a_rename(window, editor, qtbot):
    mask = lambda: window.doc.masks["content"]  # noqa: E731
    editor.set_tool("brush")
    editor.region.select_region(3)
    drag(window.canvas, [(60, 60), (100, 60)])
    assert mask().hard_labels()[60, 80] == 3
    rename(qtbot, editor.region, 3, "Trees")
    # Ctrl+Z inside the name field edits the text, not the mask
    qtbot.mouseClick(editor.region.viewport(), LEFT, pos=row_point(editor.region, 3))
    qtbot.keyClick(editor.region, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: name_editor(editor.region) is not None, timeout=5000)
    field = name_editor(editor.region)
    qtbot.keyClicks(field, "X")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mask().hard_labels()[60, 80] == 3
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: name_editor(editor.region) is None, timeout=5000)
    assert window.doc.region_names == {3: "Trees"}
    # and the window's Ctrl+Z undoes the stroke, keeping the name
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mask().is_empty() and window.doc.region_names == {3: "Trees"}
    assert texts(editor.region)[2] == "Trees"


def test_names_are_saved_with_the_masks_and_read_back(window, editor, qtbot, tmp_path):
    rename(qtbot, editor.region, 2, "Sky")
    editor.set_tool("brush")
    editor.region.select_region(2)
    drag(window.canvas, [(100, 100)])
    path = tmp_path / "named.nss"
    assert window.sessions.save(path=str(path))
    assert json.loads(path.read_text())["region_names"] == {"2": "Sky"}
    window.sessions.new()
    assert texts(editor.region)[1] == "Region 2"  # a new document has no names
    assert window.sessions.load(str(path))
    assert window.doc.region_names == {2: "Sky"} and texts(editor.region)[1] == "Sky"
    assert editor.assign.item(0, 0).text() == "Sky"


def _boxes(window):
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_session_from_before_names_still_loads(window, editor, qtbot, tmp_path):
    mask = window.doc.mask("content")
    mask.label[5:25, 5:25] = 2
    mask.cover[5:25, 5:25] = 255
    path = tmp_path / "old.nss"
    assert window.sessions.save(path=str(path))
    data = json.loads(path.read_text())
    del data["region_names"]
    path.write_text(json.dumps(data))
    rename(qtbot, editor.region, 2, "Sky")
    assert window.sessions.load(str(path), ask=False) and not _boxes(window)
    assert window.doc.region_names == {} and texts(editor.region)[1] == "Region 2"
    assert not window.doc.mask("content").is_empty()


@pytest.mark.parametrize(
    "names, problem",
    [
        ({"2": 7}, "the name of region 2 is not text"),
        ({"2": "s" * (MAX_NAME_LENGTH + 1)}, f"is {MAX_NAME_LENGTH + 1} characters long"),
        ({"sky": "Sky"}, "not a region number"),
        ({"12": "Sky"}, "regions go from 1 to"),
        (["Sky"], "'region_names' should be a dict"),
    ],
)
def test_a_bad_name_in_a_session_is_refused_and_changes_nothing(window, tmp_path, names, problem):
    mine = tmp_path / "mine.nss"
    assert window.sessions.save(path=str(mine))
    data = json.loads(mine.read_text())
    data["region_names"] = names
    bad = tmp_path / "bad.nss"
    bad.write_text(json.dumps(data))
    doc = window.doc
    assert not window.sessions.load(str(bad))
    boxes = _boxes(window)
    assert len(boxes) == 1 and "bad.nss cannot be opened" in boxes[0].text() and problem in boxes[0].text()
    assert window.doc is doc and window.sessions.path == str(mine)


def test_the_names_reach_the_file_in_a_stable_order(window):
    set_region_name(window.doc, 5, "E")
    set_region_name(window.doc, 1, "A")
    from gui.session import session_dict

    data = session_dict(window.doc, window.model.settings)
    assert list(data["region_names"].items()) == [("1", "A"), ("5", "E")]


def test_the_selected_region_shows_its_own_colour_not_a_tinted_one(window, editor, qtbot):
    regions = editor.region
    qtbot.mouseClick(regions.viewport(), LEFT, pos=row_point(regions, 1))
    assert regions.currentRow() == 0
    shown = regions.item(0).icon().pixmap(14, 14, QIcon.Mode.Selected).toImage().pixelColor(7, 7)
    assert (shown.red(), shown.green(), shown.blue()) == tuple(REGION_COLOURS[0])
