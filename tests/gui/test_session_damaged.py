"""Damaged session files: the whole file is checked first; a dialog names the
problem and the current document and its file name stay as they were
(issue 12, section 6)."""

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox


def _png64(array, mode):
    buf = io.BytesIO()
    Image.fromarray(array, mode).save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _good(window, tmp_path):
    """A valid session of the window's work, with a mask and a result, as a dict."""
    mask = window.doc.mask("content")
    mask.label[5:25, 5:25] = 1
    mask.cover[5:25, 5:25] = 255
    h, w = window.doc.content.rgb.shape[:2]
    window.doc.result = np.random.default_rng(1).random((h, w, 3), dtype=np.float32)
    path = tmp_path / "good.nss"
    assert window.sessions.save(path=str(path))
    return json.loads(path.read_text())


def _changed(data, change):
    data = json.loads(json.dumps(data))
    change(data)
    return json.dumps(data)


DAMAGE = {
    "empty": lambda good: "",
    "truncated": lambda good: json.dumps(good)[: len(json.dumps(good)) // 2],
    "not json at all": lambda good: "PK\x03\x04 this is a zip header, not a session",
    "not a session": lambda good: json.dumps({"hello": 1}),
    "a list": lambda good: "[1, 2, 3]",
    "newer version": lambda good: _changed(good, lambda d: d.update(version=99)),
    "version as text": lambda good: _changed(good, lambda d: d.update(version="2")),
    "missing content image": lambda good: _changed(good, lambda d: d.update(content="/nonexistent/cat.png")),
    "content path is a number": lambda good: _changed(good, lambda d: d.update(content=42)),
    "styles not a list": lambda good: _changed(good, lambda d: d.update(styles="style.png")),
    "missing style image": lambda good: _changed(good, lambda d: d["styles"].append("/nonexistent/style.png")),
    "size is big": lambda good: _changed(good, lambda d: d["settings"].update(size="big")),
    "size out of range": lambda good: _changed(good, lambda d: d["settings"].update(size=5)),
    "unknown setting": lambda good: _changed(good, lambda d: d["settings"].update(sharpness=3)),
    "settings not a table": lambda good: _changed(good, lambda d: d.update(settings=[1, 2])),
    "boolean as size": lambda good: _changed(good, lambda d: d["settings"].update(size=True)),
    "mask of the wrong size": lambda good: _changed(
        good, lambda d: d["masks"].update(content=_png64(np.zeros((7, 9, 3), np.uint8), "RGB"))
    ),
    "mask is not base64": lambda good: _changed(good, lambda d: d["masks"].update(content="%%%not base64%%%")),
    "mask for a missing image": lambda good: _changed(good, lambda d: d["masks"].update(style7=d["masks"]["content"])),
    "masks not a table": lambda good: _changed(good, lambda d: d.update(masks=[])),
    "corrupt result png": lambda good: _changed(
        good, lambda d: d.update(result=base64.b64encode(base64.b64decode(d["result"])[:200]).decode())
    ),
    "result is a number": lambda good: _changed(good, lambda d: d.update(result=7)),
    "region styles bad": lambda good: _changed(good, lambda d: d.update(region_styles={"x": "y"})),
    "region style names a missing style": lambda good: _changed(good, lambda d: d.update(region_styles={"1": 5})),
}


def _boxes(window):
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_a_damaged_session_changes_nothing(window, qtbot, tmp_path, name):
    good = _good(window, tmp_path)
    mine = tmp_path / "mine.nss"
    assert window.sessions.save(path=str(mine))
    mine_before = mine.read_bytes()
    doc, title = window.doc, window.windowTitle()
    settings = window.model.settings
    bad = tmp_path / "damaged.nss"
    bad.write_text(DAMAGE[name](good), encoding="utf-8")

    assert not window.sessions.load(str(bad))

    boxes = _boxes(window)
    assert len(boxes) == 1 and "damaged.nss cannot be opened" in boxes[0].text()
    assert "Traceback" not in boxes[0].text()
    assert window.doc is doc and window.model.settings == settings
    assert window.sessions.path == str(mine) and window.windowTitle() == title
    boxes[0].close()
    window.sessions.mark_dirty()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # saves where it always did
    assert json.loads(mine.read_text())["content"] == json.loads(mine_before)["content"]
    assert not window.sessions.dirty


def test_a_good_session_still_loads(window, tmp_path):
    good = _good(window, tmp_path)
    path = tmp_path / "copy.nss"
    path.write_text(json.dumps(good))
    assert window.sessions.load(str(path)) and not _boxes(window)
    assert window.doc.result is not None and not window.doc.mask("content").is_empty()


@pytest.mark.parametrize("name", ["a folder", "missing"])
def test_a_session_path_that_is_not_a_file(window, tmp_path, name):
    path = tmp_path / "x.nss"
    if name == "a folder":
        path.mkdir()
    assert not window.sessions.load(str(path))
    assert "x.nss cannot be opened" in _boxes(window)[0].text()
