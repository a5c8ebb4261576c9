"""Exporting the result: the dialog (size, format) and a save that never overwrites silently."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QPushButton, QWidget,
)

from engine.errors import StyleError
from engine.image.io import save_image

FORMATS = {  # label -> (suffix, bits)
    "PNG, 8-bit": (".png", 8),
    "PNG, 16-bit": (".png", 16),
    "JPEG": (".jpg", 8),
    "TIFF, 16-bit": (".tif", 16),
}
EXPORT_SIZES = (1024, 2048, 4096)


class ExportDialog(QDialog):
    """Where to, which format, and at what size."""

    def __init__(self, result_size: int, suggested: str, parent: QWidget | None = None, estimate=None):
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
                self.size.addItem(f"{s} px (refined from the result)", s)
        self.size.setToolTip("Larger sizes enlarge the result you see and refine its detail at the new size "
                             "in a short pass, with its own progress.")
        self._estimate = estimate
        self.time = QLabel(self)
        self.time.setObjectName("export_time")
        self.size.currentIndexChanged.connect(self._show_time)
        form = QFormLayout(self)
        form.addRow("File", row)
        form.addRow("Format", self.format)
        form.addRow("Size", self.size)
        form.addRow("Time", self.time)
        self._show_time()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._fix_suffix(self.format.currentText())

    def _show_time(self) -> None:
        """The expected time of the chosen size: immediate as shown, a refinement pass above."""
        text = self._estimate(int(self.size.currentData())) if self._estimate else ""
        self.time.setText(f"{text} on this computer" if text else "immediate")

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


def write_result(parent: QWidget | None, path: str, rgb: np.ndarray, alpha, bits: int, settings_json: str | None,
                 replace: bool = False) -> bool:
    """Save, asking before replacing a file (unless `replace`: asked already); errors go to a dialog. True when written."""
    overwrite = replace
    if Path(path).exists() and not replace:
        if not confirm_overwrite(parent, path):
            return False
        overwrite = True
    try:
        save_image(path, rgb, alpha, bits=bits, settings_json=settings_json, overwrite=overwrite)
    except (StyleError, OSError) as exc:
        QMessageBox.critical(parent, "Could not export", str(exc))
        return False
    return True
