"""The Queue panel's table: one row per job with its result's thumbnail, name, status and progress."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QProgressBar, QTableWidget, QTableWidgetItem, QWidget

THUMB = 48
COLUMNS = ("Result", "Job", "Status", "Progress")


class QueueTable(QTableWidget):
    """A view of the queue's items, updated in place; rows are selected whole, never edited."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self._thumbs: dict[str, QIcon] = {}
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setIconSize(QSize(THUMB, THUMB))
        self.verticalHeader().setDefaultSectionSize(THUMB + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the job's name gets the room, not its picture
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    def show_items(self, items) -> None:
        with QSignalBlocker(self):
            if self.rowCount() != len(items):
                self.setRowCount(len(items))
            for row, item in enumerate(items):
                self._show_row(row, item)

    def _show_row(self, row: int, item) -> None:
        cells = [self.item(row, c) for c in range(3)]
        if any(c is None for c in cells):
            cells = [QTableWidgetItem() for _ in range(3)]
            for c, cell in enumerate(cells):
                self.setItem(row, c, cell)
            self.setCellWidget(row, 3, QProgressBar(self))
        cells[0].setData(Qt.ItemDataRole.UserRole, item.id)
        cells[0].setIcon(self._thumb(item.output) if item.status in ("done", "interrupted") else QIcon())
        cells[1].setText(item.title)
        cells[1].setToolTip("\n".join([item.content or "texture", *item.styles]))
        status = item.status + (f": {item.reason}" if item.reason else "")
        cells[2].setText(status)
        cells[2].setToolTip(status)
        self.cellWidget(row, 3).setValue(100 if item.status == "done" else int(100 * item.fraction))

    def _thumb(self, path: str | None) -> QIcon:
        if not path:
            return QIcon()
        if path not in self._thumbs:  # read once; a rerun writes a new name or replaces the file
            pixmap = QPixmap(path)
            self._thumbs[path] = QIcon(
                pixmap.scaled(
                    THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
        return self._thumbs[path]

    def forget_thumb(self, path: str | None) -> None:
        """A file written again under the same name (a stopped job's best image): read it afresh."""
        self._thumbs.pop(path, None)
