"""The region list of the mask editor: each region's colour and its name, renamed in place (double-click or F2)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QWidget,
)

from .palette import MAX_REGIONS, REGION_COLOURS
from .region_names import MAX_NAME_LENGTH, region_name


def swatch(region: int, size: int = 14) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(QColor(*REGION_COLOURS[region - 1]))
    icon = QIcon(pm)
    icon.addPixmap(pm, QIcon.Mode.Selected)  # the style would tint a selected row's swatch: show the region's colour
    return icon


class _NameDelegate(QStyledItemDelegate):
    """Region names are edited in a line edit that takes at most MAX_NAME_LENGTH characters."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setMaxLength(MAX_NAME_LENGTH)
        editor.setObjectName("region_name_editor")
        return editor


class RegionList(QListWidget):
    """Every region with its colour and name; the current one is what the brush paints."""

    renamed = Signal(int, str)  # region, the text typed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("region_list")
        self.setItemDelegate(_NameDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setToolTip("The region the brush and fill paint. Double-click a name or press F2 to rename it.")
        for r in range(1, MAX_REGIONS + 1):
            item = QListWidgetItem(swatch(r), f"Region {r}")
            item.setData(Qt.ItemDataRole.UserRole, r)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable)
            self.addItem(item)
        self.setCurrentRow(0)
        rows = self.sizeHintForRow(0) * min(MAX_REGIONS, 8) + 2 * self.frameWidth()
        self.setMaximumHeight(rows + 4)
        self.itemChanged.connect(lambda item: self.renamed.emit(int(item.data(Qt.ItemDataRole.UserRole)), item.text()))

    def current_region(self) -> int:
        item = self.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else 1

    def select_region(self, region: int) -> None:
        self.setCurrentRow(region - 1)

    def show_names(self, doc) -> None:
        """Show the document's names (signals blocked: showing is not renaming)."""
        with QSignalBlocker(self):
            for row in range(self.count()):
                item = self.item(row)
                name = region_name(doc, int(item.data(Qt.ItemDataRole.UserRole)))
                if item.text() != name:
                    item.setText(name)
