"""The before/after strip under the canvas: a slider that moves the split between the photo and the result."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from .canvas import Canvas
from .model import DocumentModel
from .qimages import rgb_to_qimage


class CompareBar(QWidget):
    """Drawn on `canvas`: the model's photo left of the split, what the canvas shows right of it."""

    def __init__(self, model: DocumentModel, canvas: Canvas, parent: QWidget | None = None):
        super().__init__(parent)
        self.model, self.canvas = model, canvas
        self.active = False  # the result is shown and the split is switched on
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.slider.setToolTip("Before/after: drag to compare the content (left) with the result (right)")
        self.slider.valueChanged.connect(self.sync)
        canvas.split_moved.connect(lambda f: self.slider.setValue(round(f * 100)))
        self.label = QLabel("Before | after", self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.slider, 1)

    def set_active(self, on: bool) -> None:
        self.active = on
        self.sync()

    def sync(self, *_args) -> None:
        """The photo, scaled to the shown image, under the split; nothing when there is nothing to compare."""
        comparable = self.active and self.model.doc.content is not None
        self.slider.setEnabled(comparable)
        if comparable:
            size = self.canvas.image_size()
            before = rgb_to_qimage(self.model.doc.content.rgb).scaled(*size) if size[0] else None
            self.canvas.set_before(before)
            self.canvas.set_split(self.slider.value() / 100)
        else:
            self.canvas.set_before(None)
            self.canvas.set_split(None)
