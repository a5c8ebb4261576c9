"""The VGG layer table: a content checkbox, a style checkbox and weights per layer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.settings import VGG19_LAYERS

RELU_LAYERS = tuple(name.replace("conv", "relu") for name in VGG19_LAYERS)
CONV_LAYERS = tuple(VGG19_LAYERS)
COLUMNS = ("Layer", "Content", "Content weight", "Style", "Style weight")


class LayerTable(QWidget):
    """Edits ``content_layers`` and ``style_layers`` together."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(220)
        self.show_conv = QCheckBox("Show pre-ReLU conv layers", self)
        self.show_conv.setToolTip("conv*_* are the maps before the ReLU; the paper's layers are the relu*_* outputs.")
        self.show_conv.toggled.connect(self._sync_visibility)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.show_conv)
        self._rows: dict[str, int] = {}
        for name in RELU_LAYERS + CONV_LAYERS:
            self._add_row(name)
        self._sync_visibility()

    def _add_row(self, name: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setToolTip("Pre-ReLU map" if name.startswith("conv") else "Post-ReLU map (as in the paper)")
        self.table.setItem(row, 0, item)
        for col, kind in ((1, "content"), (3, "style")):
            box = QCheckBox(self.table)
            box.setToolTip(f"Use {name} as a {kind} layer")
            box.toggled.connect(self.changed)
            self.table.setCellWidget(row, col, box)
            spin = QDoubleSpinBox(self.table)
            spin.setRange(0.0, 1e6)
            spin.setDecimals(3)
            spin.setValue(1.0)
            spin.setToolTip(f"Weight of {name} in the {kind} loss (normalised to sum 1)")
            spin.valueChanged.connect(self.changed)
            self.table.setCellWidget(row, col + 1, spin)
        self._rows[name] = row

    def _sync_visibility(self) -> None:
        for name, row in self._rows.items():
            hidden = name.startswith("conv") and not self.show_conv.isChecked() and not self._row_used(row)
            self.table.setRowHidden(row, hidden)

    def _row_used(self, row: int) -> bool:
        return self.table.cellWidget(row, 1).isChecked() or self.table.cellWidget(row, 3).isChecked()

    def checkbox(self, layer: str, kind: str) -> QCheckBox:
        return self.table.cellWidget(self._rows[layer], 1 if kind == "content" else 3)

    def weight_box(self, layer: str, kind: str) -> QDoubleSpinBox:
        return self.table.cellWidget(self._rows[layer], 2 if kind == "content" else 4)

    def layers(self, kind: str) -> dict:
        return {
            name: float(self.weight_box(name, kind).value())
            for name in self._rows
            if self.checkbox(name, kind).isChecked()
        }

    def set_layers(self, content: dict, style: dict) -> None:
        widgets = [self.table.cellWidget(r, c) for r in range(self.table.rowCount()) for c in range(1, 5)]
        blockers = [w.blockSignals(True) for w in widgets]
        try:
            for kind, layers in (("content", content), ("style", style)):
                for name in self._rows:
                    self.checkbox(name, kind).setChecked(name in layers)
                    self.weight_box(name, kind).setValue(float(layers.get(name, 1.0)))
        finally:
            for w, old in zip(widgets, blockers):
                w.blockSignals(old)
        self._sync_visibility()
        self.changed.emit()
