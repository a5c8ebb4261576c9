"""Exporting the result: the dialog (size, format) and a save that never overwrites silently."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QMessageBox,
    QPushButton, QWidget,
)

from engine.errors import StyleError
from engine.images import save_image

FORMATS = {  # label -> (suffix, bits)
    "PNG, 8-bit": (".png", 8),
    "PNG, 16-bit": (".png", 16),
    "JPEG": (".jpg", 8),
    "TIFF, 16-bit": (".tif", 16),
}
EXPORT_SIZES = (1024, 2048, 4096)


class ExportDialog(QDialog):
    """Where to, which format, and at what size."""

    def __init__(self, result_size: int, suggested: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export result")
        self.path = QLineEdit(suggested, self)
        self.path.setMinimumWidth(420)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.format = QComboBox(self)
        self.format.addItems(list(FORMATS))
        self.format.setToolTip("PNG and TIFF keep 16 bits per channel; the settings are embedded in every format.")
        self.format.currentTextChanged.connect(self._fix_suffix)
        self.size = QComboBox(self)
        self.size.addItem(f"As shown ({result_size} px)", result_size)
        for s in EXPORT_SIZES:
            if s > result_size:
                self.size.addItem(f"{s} px (coarse-to-fine run)", s)
        self.size.setToolTip("Larger sizes re-run the style transfer coarse-to-fine, with its own progress.")
        form = QFormLayout(self)
        form.addRow("File", row)
        form.addRow("Format", self.format)
        form.addRow("Size", self.size)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._fix_suffix(self.format.currentText())

    def _browse(self) -> None:
        suffix = FORMATS[self.format.currentText()][0]
        path, _ = QFileDialog.getSaveFileName(self, "Export result", self.path.text(), f"Image (*{suffix})")
        if path:
            self.path.setText(path)

    def _fix_suffix(self, label: str) -> None:
        suffix = FORMATS[label][0]
        text = self.path.text()
        if text:
            self.path.setText(str(Path(text).with_suffix(suffix)))

    def choice(self) -> tuple[str, int, int]:
        """(path, bits, long side)."""
        return self.path.text().strip(), FORMATS[self.format.currentText()][1], int(self.size.currentData())


def confirm_overwrite(parent: QWidget | None, path: str) -> bool:
    answer = QMessageBox.question(
        parent, "Replace file?", f"{path} already exists. Replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def write_result(parent: QWidget | None, path: str, rgb: np.ndarray, alpha, bits: int, settings_json: str | None) -> bool:
    """Save, asking before replacing a file; errors go to a dialog. True when written."""
    overwrite = False
    if Path(path).exists():
        if not confirm_overwrite(parent, path):
            return False
        overwrite = True
    try:
        save_image(path, rgb, alpha, bits=bits, settings_json=settings_json, overwrite=overwrite)
    except (StyleError, OSError) as exc:
        QMessageBox.critical(parent, "Could not export", str(exc))
        return False
    return True
