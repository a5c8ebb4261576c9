"""The Images dock: the photo, the style images and the result, each with a thumbnail."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from .document import item_title
from .model import DocumentModel
from .qimages import rgb_to_qimage

THUMB = 72
KEY = Qt.ItemDataRole.UserRole


class ImageList(QListWidget):
    """A view of the model's images; says which one the user chose, never shows it itself."""

    key_chosen = Signal(str)  # "content", "style0", ..., "result"

    def __init__(self, model: DocumentModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.setIconSize(QSize(THUMB, THUMB))
        self.setMinimumWidth(200)  # a thumbnail and the start of the file name
        self.setWordWrap(True)  # a long file name takes two lines; the list never scrolls sideways
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setToolTip("The content, style images and the result; click one to show it")
        self.currentItemChanged.connect(self._chosen)

    def _chosen(self, item, _previous=None) -> None:
        if item is not None:
            self.key_chosen.emit(item.data(KEY))

    def refresh(self, shown_key: str, preview: np.ndarray | None = None, with_result: bool = False) -> None:
        """List the document's images; `with_result`: a Result entry (`preview`'s thumbnail) before any result."""
        doc = self.model.doc
        keys = doc.keys()
        if "result" not in keys and with_result:
            keys.append("result")
        with QSignalBlocker(self):
            self.clear()
            for key in keys:
                rgb = doc.image(key) if key != "result" or doc.result is not None else preview
                item = QListWidgetItem(item_title(doc, key))
                item.setToolTip(item.text())
                if rgb is not None:
                    item.setIcon(
                        QIcon(
                            QPixmap.fromImage(rgb_to_qimage(rgb)).scaled(
                                THUMB,
                                THUMB,
                                Qt.AspectRatioMode.KeepAspectRatio,
                                Qt.TransformationMode.SmoothTransformation,
                            )
                        )
                    )
                item.setData(KEY, key)
                self.addItem(item)
                if key == shown_key:
                    self.setCurrentItem(item)

    def keys(self) -> list[str]:
        return [self.item(i).data(KEY) for i in range(self.count())]

    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(KEY) if item is not None else None

    def select(self, key: str) -> None:
        """Mark `key` as shown without saying it was chosen."""
        for i in range(self.count()):
            item = self.item(i)
            if item.data(KEY) == key and self.currentItem() is not item:
                with QSignalBlocker(self):
                    self.setCurrentItem(item)
