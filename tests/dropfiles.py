"""A real drag and drop of files onto the window, as a file manager sends it (enter, then drop)."""

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication


def drop_files(window, paths, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Drop `paths` on the canvas; the window must accept the drag first."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = window.canvas.mapTo(window, QPoint(50, 50))
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, modifiers)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, modifiers)
    QApplication.sendEvent(window, event)
