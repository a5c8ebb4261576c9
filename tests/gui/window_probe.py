"""Build the real window at the scale factor of QT_SCALE_FACTOR and report, as JSON,
every widget drawn narrower than it asks to be.

Run in a subprocess by test_scaling_and_theme.py: the scale factor is read once,
when the QApplication starts, so each factor needs a process of its own.
Usage: python tests/gui/window_probe.py STATE_DIR [advanced]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget  # noqa: E402

from gui.main_window import MainWindow  # noqa: E402
from gui.prefs import Preferences  # noqa: E402

CHECKED = (QAbstractButton, QLabel, QComboBox)


def needed(w: QWidget) -> int:
    """The width `w` needs to show its text whole: a list needs its chosen entry, not its longest one."""
    if isinstance(w, QComboBox):
        probe = QComboBox()
        probe.setFont(w.font())
        probe.addItem(w.currentText())
        return probe.sizeHint().width()
    return w.sizeHint().width()


def clipped(root: QWidget) -> list[str]:
    """Visible buttons, labels and lists narrower than they need (wrapped labels fit by wrapping)."""
    found = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CHECKED) or not w.isVisibleTo(root):
            continue
        if isinstance(w, QLabel) and w.wordWrap():  # fits by wrapping, when it is tall enough for its lines
            if w.text() and w.height() < w.heightForWidth(w.width()):
                found.append(f"{w.text()!r}: {w.height()} high < {w.heightForWidth(w.width())}")
            continue
        if w.width() < needed(w):
            name = (w.currentText() if isinstance(w, QComboBox) else w.text()) or w.objectName() or type(w).__name__
            found.append(f"{name!r}: {w.width()} < {needed(w)}")
    return found


def cut_entries(root: QWidget) -> list[str]:
    """Entries of the visible lists that would be cut if chosen."""
    found = []
    for box in root.findChildren(QComboBox):
        for i in range(box.count() if box.isVisibleTo(root) else 0):
            probe = QComboBox()  # a new one each time: a list measures its entries once
            probe.setFont(box.font())
            probe.addItem(box.itemText(i))
            if box.width() < probe.sizeHint().width():
                found.append(f"{box.itemText(i)!r}: {box.width()} < {probe.sizeHint().width()}")
    return found


def probe(state: Path, advanced: bool) -> dict:
    q = QSettings(str(state / "prefs.ini"), QSettings.Format.IniFormat)
    q.setValue("view/advanced", "true" if advanced else "false")
    q.setValue("view/instant_preview", "false")
    window = MainWindow(prefs=Preferences(q), state_dir=state, load_samples=True)
    window.show()
    QApplication.processEvents()
    screen = window.screen().availableGeometry()
    report = {
        "scale": window.devicePixelRatioF(),
        "size": [window.width(), window.height()],
        "screen": [screen.width(), screen.height()],
        "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
    }
    options = window.options
    report["options"] = clipped(options.widget())
    report["options_entries"] = cut_entries(options.widget())
    report["options_scrolls_sideways"] = options.horizontalScrollBar().isVisible()
    window.queue_dock.raise_()
    QApplication.processEvents()
    report["queue"] = clipped(window.queue_panel)
    window.mask_dock.raise_()
    QApplication.processEvents()
    report["mask_editor"] = clipped(window.mask_editor)
    report["run_strip"] = clipped(window.run_panel) + clipped(window.compare)
    window.sessions.dirty = False
    window.close()
    return report


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    print(json.dumps(probe(Path(sys.argv[1]), "advanced" in sys.argv[2:])))
