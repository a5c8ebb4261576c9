"""Exporting the result: the dialog (size, format) and a save that never overwrites silently."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from engine.errors import StyleError
from engine.image.write import save_image

from .dialogs import window_text

FORMATS = {  # label -> (suffix, bits)
    "PNG, 8-bit": (".png", 8),
    "PNG, 16-bit": (".png", 16),
    "JPEG": (".jpg", 8),
    "TIFF, 16-bit": (".tif", 16),
}
PRINT_DPI = 300
PRINTS = (  # label, long side in inches: printed at 300 dots per inch
    ("10 × 15 cm print", 15 / 2.54),
    ("8 × 10 in print", 10.0),
    ("A4 print", 297 / 25.4),
    ("A3 print", 420 / 25.4),
)
CUSTOM_RANGE = (64, 16384)
CUSTOM = -1  # the size list's data for "Custom"


def print_side(inches: float, dpi: int = PRINT_DPI) -> int:
    """The long side in pixels of a print `inches` long at `dpi`."""
    return int(round(inches * dpi))


def screen_side() -> int:
    """The primary screen's long side in device pixels (0 when there is no screen)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 0
    size = screen.size()
    return int(round(max(size.width(), size.height()) * screen.devicePixelRatio()))


def export_sizes(result_size: int, screen: int) -> list[tuple[str, int]]:
    """(label, long side) of each size offered besides "As shown" and "Custom"."""
    sizes = [("Screen", screen)] if screen > 0 else []
    sizes += [("2×", 2 * result_size), ("4×", 4 * result_size)]
    sizes += [(f"{label}, {PRINT_DPI} dpi", print_side(inches)) for label, inches in PRINTS]
    return sizes


class ExportDialog(QDialog):
    """Where to, which format, and at what size; remembers the folder and format in `prefs` when given."""

    def __init__(
        self,
        result_size: int,
        suggested: str,
        parent: QWidget | None = None,
        estimate=None,
        prefs=None,
        screen: int | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Export result")
        self.prefs = prefs
        self.result_size = int(result_size)
        if prefs is not None:
            folder = str(prefs.value("export/folder", "") or "")
            if folder and Path(folder).is_dir():
                suggested = str(Path(folder) / Path(suggested).name)
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
        remembered = str(prefs.value("export/format", "") or "") if prefs is not None else ""
        if remembered in FORMATS:
            self.format.setCurrentText(remembered)
        self.format.currentTextChanged.connect(self._fix_suffix)
        size_row = self._build_sizes(screen)
        self._estimate = estimate
        self.time = QLabel(self)
        self.time.setObjectName("export_time")
        self.size.currentIndexChanged.connect(self._size_changed)
        self.custom.valueChanged.connect(self._show_time)
        form = QFormLayout(self)
        form.addRow("File", row)
        form.addRow("Format", self.format)
        form.addRow("Size", size_row)
        form.addRow("Time", self.time)
        self._show_time()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form.addRow(buttons)
        self._fix_suffix(self.format.currentText())

    def _build_sizes(self, screen: int | None) -> QHBoxLayout:
        """The common sizes with their pixels (smaller than the result listed but not choosable), and Custom."""
        self.size = QComboBox(self)
        self.size.setObjectName("export_size")
        self.size.addItem(f"As shown ({self.result_size} px)", self.result_size)
        for label, side in export_sizes(self.result_size, screen_side() if screen is None else int(screen)):
            self.size.addItem(f"{label} ({side} px)", side)
            if side <= self.result_size:  # the result is never made smaller on export
                index = self.size.count() - 1
                self.size.model().item(index).setEnabled(False)
                self.size.setItemData(
                    index, "Smaller than the result; export it as shown instead.", Qt.ItemDataRole.ToolTipRole
                )
        self.size.addItem("Custom", CUSTOM)
        self.size.setToolTip(
            "Larger sizes enlarge the result you see and refine its detail at the new size "
            "in a short pass, with its own progress."
        )
        self.custom = QSpinBox(self)
        self.custom.setObjectName("export_custom_size")
        self.custom.setRange(max(CUSTOM_RANGE[0], self.result_size), CUSTOM_RANGE[1])
        self.custom.setValue(min(CUSTOM_RANGE[1], max(self.custom.minimum(), 2 * self.result_size)))
        self.custom.setSuffix(" px")
        self.custom.setToolTip("The long side of the exported picture, in pixels")
        self.custom.setEnabled(False)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size, 1)
        size_row.addWidget(self.custom)
        return size_row

    def long_side(self) -> int:
        """The chosen size's long side in pixels."""
        data = int(self.size.currentData())
        return self.custom.value() if data == CUSTOM else data

    def _size_changed(self) -> None:
        self.custom.setEnabled(int(self.size.currentData()) == CUSTOM)
        self._show_time()

    def _show_time(self) -> None:
        """The expected time of the chosen size: immediate as shown, a refinement pass above."""
        text = self._estimate(self.long_side()) if self._estimate else ""
        self.time.setText(f"{text} on this computer" if text else "immediate")

    def _browse(self) -> None:
        suffix = FORMATS[self.format.currentText()][0]
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export result",
            self.path.text(),
            f"Image (*{suffix})",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # asked on writing
        if path:
            self.path.setText(path)

    def _fix_suffix(self, label: str) -> None:
        suffix = FORMATS[label][0]
        text = self.path.text()
        if text:
            self.path.setText(str(Path(text).with_suffix(suffix)))

    def accept(self) -> None:
        """Remember the folder and format for the next export."""
        path = self.path.text().strip()
        if self.prefs is not None and path:
            self.prefs.set_value("export/folder", str(Path(path).parent))
            self.prefs.set_value("export/format", self.format.currentText())
        super().accept()

    def choice(self) -> tuple[str, int, int]:
        """(path, bits, long side)."""
        return self.path.text().strip(), FORMATS[self.format.currentText()][1], self.long_side()


class SavedNotice(QMessageBox):
    """ "Saved to <path>" with a button that shows the file in its folder; it does not block the window."""

    opener = staticmethod(QDesktopServices.openUrl)  # tests replace it on the instance

    def __init__(self, path: str, parent: QWidget):
        super().__init__(
            QMessageBox.Icon.Information, "Exported", f"Saved to {path}", QMessageBox.StandardButton.Close, parent
        )
        self.setObjectName("saved_notice")
        self.saved_path = path
        self.show_button = self.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
        self.show_button.clicked.connect(self.show_in_folder)
        self.setDefaultButton(QMessageBox.StandardButton.Close)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.finished.connect(self.deleteLater)

    def folder_url(self) -> QUrl:
        return QUrl.fromLocalFile(str(Path(self.saved_path).resolve().parent))

    def show_in_folder(self) -> None:
        self.opener(self.folder_url())


def show_saved(parent: QWidget | None, path: str) -> SavedNotice | None:
    """Tell the user where the file went, with a way to open its folder (one notice at a time)."""
    if parent is None:
        return None
    for old in parent.findChildren(SavedNotice):
        old.close()
    notice = SavedNotice(path, parent)
    notice.show()
    return notice


def confirm_overwrite(parent: QWidget | None, path: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Replace file?",
        f"{path} already exists. Replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def write_result(
    parent: QWidget | None,
    path: str,
    rgb: np.ndarray,
    alpha,
    bits: int,
    settings_json: str | None,
    replace: bool = False,
) -> bool:
    """Save, asking before replacing a file (unless `replace`: asked already); errors go to a dialog, success
    to a "Saved to" notice. True when written."""
    overwrite = replace
    if Path(path).exists() and not replace:
        if not confirm_overwrite(parent, path):
            return False
        overwrite = True
    try:
        save_image(path, rgb, alpha, bits=bits, settings_json=settings_json, overwrite=overwrite)
    except (StyleError, OSError) as exc:
        QMessageBox.critical(parent, "Could not export", window_text(exc))
        return False
    show_saved(parent, path)
    return True
