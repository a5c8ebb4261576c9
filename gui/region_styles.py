"""The mask editor's region -> style table: which style image each content region takes its style from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableWidget, QTableWidgetItem, QWidget

from .document import item_title, style_key
from .model import DocumentModel
from .region_list import swatch
from .region_names import region_name

AUTOMATIC_TIP = "Automatic: the first style whose mask has this colour, else the first style without a mask"


class RegionStyleTable(QTableWidget):
    """One row per region of the content mask: its swatch and name, and a style chooser."""

    def __init__(self, model: DocumentModel, parent: QWidget | None = None):
        super().__init__(0, 2, parent)
        self.model = model
        self.setHorizontalHeaderLabels(("Content region", "Style image"))
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.setToolTip("Which style image each region of the content takes its style from")

    def refresh(self) -> None:
        doc = self.model.doc
        content = doc.masks.get("content")
        regions = content.regions() if content is not None else []
        styles = [item_title(doc, style_key(i)) for i in range(len(doc.styles))]  # "Style 1: starry_night.jpg"
        self.setRowCount(len(regions))
        for row, region in enumerate(regions):
            item = QTableWidgetItem(swatch(region), region_name(doc, region))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 0, item)
            combo = QComboBox(self)
            combo.addItem("(automatic)", -1)
            combo.setToolTip(AUTOMATIC_TIP)
            for i, s in enumerate(styles):
                combo.addItem(s, i)
            combo.setCurrentIndex(max(0, combo.findData(doc.region_styles.get(region, -1))))
            combo.currentIndexChanged.connect(lambda _i, r=region, cb=combo: self._assign(r, cb.currentData()))
            self.setCellWidget(row, 1, combo)

    def _assign(self, region: int, style: int) -> None:
        if style is None or style < 0:
            self.model.doc.region_styles.pop(region, None)
        else:
            self.model.doc.region_styles[region] = int(style)
        self.model.mark_dirty()
