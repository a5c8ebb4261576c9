"""The mask editor: paint regions on the content and style images, and map regions to styles.

It edits the mask of whichever image the canvas shows. Strokes arrive as
image coordinates from the canvas's mouse events; one stroke is one undo
step. The overlay is rebuilt from the mask after each stroke segment.
Regions are listed with their colour and a name the user edits in place
(double-click or F2); the brush and fill paint the selected region.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .atomic import write_atomically
from .canvas import Canvas
from .dialogs import show_message
from .document import key_title
from .export import confirm_overwrite
from .model import DocumentModel
from .qimages import rgba_to_qimage
from .region_list import RegionList
from .region_names import set_region_name
from .region_styles import RegionStyleTable

TOOLS = ("view", "brush", "eraser", "fill")


class MaskEditor(QWidget):
    mask_changed = Signal(str)  # key of the edited image

    def __init__(self, model: DocumentModel, canvas: Canvas, parent: QWidget | None = None):
        """Edits the masks of `model`'s images, painted with the mouse on `canvas`."""
        super().__init__(parent)
        self.model, self.canvas = model, canvas
        self.key = ""
        self.tool = "view"
        self._last_point: tuple[float, float] | None = None
        tools = self._build_tools()
        self.region = RegionList(self)
        self.region.renamed.connect(self._rename)
        self.size = self._slider(1, 200, 20, "Brush radius in image pixels")
        self.hardness = self._slider(0, 100, 80, "Brush hardness: 100 is a hard edge, 0 fades from the centre")
        self.opacity = self._slider(0, 100, 50, "Overlay opacity")
        self.opacity.valueChanged.connect(self.refresh_overlay)
        self.size.valueChanged.connect(self._sync_cursor)
        self.assign = RegionStyleTable(model, self)
        self.target_label = QLabel("", self)
        self._lay_out(tools, self._build_buttons())
        c = canvas
        c.stroke_started.connect(self._stroke_start)
        c.stroke_moved.connect(self._stroke_move)
        c.stroke_finished.connect(self._stroke_end)
        self._sync_buttons()

    def _build_tools(self) -> QHBoxLayout:
        self.tool_group = QButtonGroup(self)
        tools = QHBoxLayout()
        tips = {
            "view": "Pan and zoom; no painting",
            "brush": "Paint the selected region (B)",
            "eraser": "Erase regions (E)",
            "fill": "Fill the clicked area with the selected region (F)",
        }
        self.tool_buttons: dict[str, QToolButton] = {}
        for i, name in enumerate(TOOLS):
            b = QToolButton(self)
            b.setText(name.capitalize())
            b.setCheckable(True)
            b.setToolTip(tips[name])
            b.setShortcut({"brush": "B", "eraser": "E", "fill": "F", "view": "V"}[name])
            self.tool_group.addButton(b, i)
            tools.addWidget(b)
            self.tool_buttons[name] = b
        self.tool_buttons["view"].setChecked(True)
        self.tool_group.idToggled.connect(self._tool_toggled)
        return tools

    def _build_buttons(self) -> QGridLayout:
        buttons = QGridLayout()
        self.undo_button = self._button("Undo", self.undo, "Undo the last mask edit (Ctrl+Z)")
        self.redo_button = self._button("Redo", self.redo, "Redo (Ctrl+Shift+Z)")
        for i, b in enumerate(
            (
                self.undo_button,
                self.redo_button,
                self._button("Clear", self.clear, "Remove all regions from this image's mask"),
                self._button("Import PNG…", self.import_png, "Load a mask PNG: one colour per region, black for none"),
                self._button("Export PNG…", self.export_png, "Save this mask as a PNG of region colours"),
            )
        ):
            buttons.addWidget(b, i // 2, i % 2)
        return buttons

    def _lay_out(self, tools: QHBoxLayout, buttons: QGridLayout) -> None:
        form = QFormLayout()
        form.addRow("Size", self.size)
        form.addRow("Hardness", self.hardness)
        form.addRow("Overlay", self.opacity)
        layout = QVBoxLayout(self)
        layout.addWidget(self.target_label)
        layout.addLayout(tools)
        layout.addWidget(QLabel("Regions", self))
        layout.addWidget(self.region)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Region → style", self))
        layout.addWidget(self.assign, 1)

    def _slider(self, lo: int, hi: int, value: int, tip: str) -> QSlider:
        s = QSlider(Qt.Orientation.Horizontal, self)
        s.setRange(lo, hi)
        s.setValue(value)
        s.setToolTip(tip)
        return s

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    # --- state ----------------------------------------------------------------
    def mask(self):
        return self.model.doc.mask(self.key) if self.key and self.key != "result" else None

    def set_key(self, key: str) -> None:
        self.key = key
        editable = self.mask() is not None
        self.region.show_names(self.model.doc)
        name = key_title(key) if key else "nothing"
        self.target_label.setText(
            f"Editing the mask of: {name}"
            if editable
            else f"Showing: {name} (masks are painted on the content and style images)"
        )
        self._sync_cursor()
        self.refresh_overlay()

    def set_tool(self, name: str) -> None:
        self.tool_buttons[name].setChecked(True)

    def _tool_toggled(self, index: int, checked: bool) -> None:
        if checked:
            self.tool = TOOLS[index]
            self._sync_cursor()

    def _sync_cursor(self) -> None:
        c = self.canvas
        c.paint_mode = self.tool != "view" and self.mask() is not None
        c.brush_radius = self.size.value() if self.tool in ("brush", "eraser") else 0
        c.update()

    def refresh_overlay(self) -> None:
        mask = self.mask()
        if mask is None or mask.is_empty() and not mask.cover.any():
            self.canvas.set_overlay(None)
        else:
            self.canvas.set_overlay(rgba_to_qimage(mask.overlay_rgba(self.opacity.value() / 100)))
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        mask = self.mask()
        self.undo_button.setEnabled(bool(mask and mask.can_undo()))
        self.redo_button.setEnabled(bool(mask and mask.can_redo()))

    def _changed(self) -> None:
        self.refresh_overlay()
        self.refresh_regions()
        self.mask_changed.emit(self.key)
        self.model.mark_dirty()

    # --- painting ---------------------------------------------------------------
    def _region_value(self) -> int:
        return 0 if self.tool == "eraser" else self.region.current_region()

    def _stroke_start(self, x: float, y: float) -> None:
        mask = self.mask()
        if mask is None or self.tool == "view":
            return
        mask.checkpoint()
        if self.tool == "fill":
            mask.fill(int(x), int(y), self._region_value())
            self._last_point = None
            self._changed()
            return
        self._last_point = (x, y)
        mask.dab(x, y, self.size.value(), self.hardness.value() / 100, self._region_value())
        self.refresh_overlay()

    def _stroke_move(self, x: float, y: float) -> None:
        mask = self.mask()
        if mask is None or self._last_point is None:
            return
        mask.stroke(self._last_point, (x, y), self.size.value(), self.hardness.value() / 100, self._region_value())
        self._last_point = (x, y)
        self.refresh_overlay()

    def _stroke_end(self) -> None:
        if self._last_point is not None:
            self._last_point = None
            self._changed()

    # --- commands ---------------------------------------------------------------
    def undo(self) -> None:
        mask = self.mask()
        if mask and mask.undo():
            self._changed()

    def redo(self) -> None:
        mask = self.mask()
        if mask and mask.redo():
            self._changed()

    def clear(self) -> None:
        mask = self.mask()
        if mask is not None:
            mask.checkpoint()
            mask.clear()
            self._changed()

    def import_png(self, path: str | None = None) -> bool:
        mask = self.mask()
        if mask is None:
            return False
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import mask", "", "PNG (*.png);;Images (*.png *.jpg *.tif)")
            if not path:
                return False
        try:
            mask.load_png(path)
        except OSError as exc:
            show_message(
                self, "Cannot import the mask", f"{path} is not a readable image ({exc}); use a PNG of region colours."
            )
            return False
        self._changed()
        return True

    def export_png(self, path: str | None = None) -> bool:
        mask = self.mask()
        if mask is None:
            return False
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export mask", "mask.png", "PNG (*.png)", options=QFileDialog.Option.DontConfirmOverwrite
            )  # asked below
            if not path:
                return False
        if Path(path).exists() and not confirm_overwrite(self, path):
            return False
        try:
            write_atomically(path, mask.save_png, prefix=".mask-")
        except OSError as exc:
            show_message(self, "Cannot export the mask", str(exc))
            return False
        return True

    # --- region -> style ----------------------------------------------------------
    def _rename(self, region: int, text: str) -> None:
        """A name typed in the list: kept on the document (an empty one goes back to "Region k")."""
        changed = set_region_name(self.model.doc, region, text)
        self.region.show_names(self.model.doc)
        if changed:
            self.refresh_regions()
            self.model.mark_dirty()

    def refresh_regions(self) -> None:
        self.region.show_names(self.model.doc)
        self.assign.refresh()
