"""The Qt binding must not lose references to None or True (issue 12, section 1).

PySide6 6.12.0 on CPython 3.11 dropped one reference to ``None`` on every Qt
call returning nothing and one to ``True`` on every ``emit(True)``; the window
died with ``Fatal Python error: none_dealloc`` after a few hundred iterations.
A pinned binding that leaks fails here in seconds instead of in a user's run.
"""

import sys

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

CALLS = 100_000
ALLOWED_DROP = 100  # other code may release a few references meanwhile; a leak drops ~CALLS


class _Emitter(QObject):
    flag = Signal(bool)


def _drop(obj, calls) -> int:
    before = sys.getrefcount(obj)
    calls()
    return before - sys.getrefcount(obj)


def test_void_qt_calls_keep_none_alive(qtbot):
    image = QImage(16, 16, QImage.Format.Format_RGB32)
    label, bar, widget = QLabel(), QProgressBar(), QWidget()
    for w in (label, bar, widget):
        qtbot.addWidget(w)
    pen = QPen(QColor(Qt.GlobalColor.red))

    def calls():
        painter = QPainter(image)
        for i in range(CALLS // 5):
            painter.setPen(pen)
            painter.drawLine(0, 0, i % 16, 15)
            label.setText("x")
            bar.setValue(i % 100)
            widget.update()
        painter.end()

    assert _drop(None, calls) <= ALLOWED_DROP, (
        "the Qt binding leaks references to None: pin a PySide6 that does not (see requirements.txt)"
    )


def test_signal_emits_keep_true_alive(qtbot):
    emitter = _Emitter()
    seen = []
    emitter.flag.connect(lambda v: None)

    def calls():
        for _ in range(CALLS):
            emitter.flag.emit(True)
        seen.append(True)

    assert _drop(True, calls) <= ALLOWED_DROP, (
        "Signal.emit leaks references to True: pin a PySide6 that does not (see requirements.txt)"
    )
    assert seen
