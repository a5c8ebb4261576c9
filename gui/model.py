"""The window's one model: what the user is working on, and signals when it changes.

Panels, the canvas, the mask editor, the run controller and the menus each
hold this model and listen to it (as napari's viewer model and layer list
work); none of them keeps its own copy of the settings or reaches into the
window for them. The pixels live in the Qt-free :class:`gui.document.Document`;
this class adds the settings, the file name, the dirty flag and the signals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from engine.image.io import LoadedImage
from engine.presets import matching_preset
from engine.settings import Settings

from .document import Document


class DocumentModel(QObject):
    images_changed = Signal()  # the photo or the styles were added, replaced or removed
    result_changed = Signal()  # a finished result was set or dropped
    settings_changed = Signal(object)  # the new Settings
    changed = Signal()  # any edit: the autosave has something new to keep
    dirty_changed = Signal(bool)
    path_changed = Signal(str)  # the session file's path ("" when untitled)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = Document()
        self._settings = Settings()
        self._dirty = False
        self._path: str | None = None

    # --- settings ---------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self._settings

    def set_settings(self, settings: Settings, *, dirty: bool = True) -> None:
        """Replace the settings; listeners sync their widgets (with their signals blocked)."""
        if settings == self._settings:
            return
        self._settings = settings
        self.settings_changed.emit(settings)
        if dirty:
            self.mark_dirty()

    @property
    def preset(self) -> str:
        """The engine preset the settings equal, or "custom"."""
        return matching_preset(self._settings)

    # --- images -----------------------------------------------------------------
    def set_content(self, image: LoadedImage) -> None:
        self.doc.set_content(image)
        self.images_changed.emit()
        self.result_changed.emit()
        self.mark_dirty()

    def add_style(self, image: LoadedImage) -> None:
        self.doc.add_style(image)
        self.images_changed.emit()
        self.mark_dirty()

    def remove_style(self, index: int) -> None:
        self.doc.remove_style(index)
        self.images_changed.emit()
        self.mark_dirty()

    def set_result(self, rgb: np.ndarray | None, settings_json: str | None = None) -> None:
        self.doc.result = rgb
        self.doc.result_settings = settings_json
        self.result_changed.emit()
        self.mark_dirty()

    def replace(self, doc: Document, settings: Settings | None = None, path: str | None = None) -> None:
        """A whole new document (a loaded session, File > New), clean."""
        self.doc = doc
        if settings is not None:
            self._settings = settings
            self.settings_changed.emit(settings)
        self.images_changed.emit()
        self.result_changed.emit()
        self.mark_saved(path)

    # --- file and dirty flag ----------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        if bool(value) != self._dirty:
            self._dirty = bool(value)
            self.dirty_changed.emit(self._dirty)

    def mark_dirty(self) -> None:
        self.dirty = True
        self.changed.emit()

    @property
    def path(self) -> str | None:
        return self._path

    @path.setter
    def path(self, value: str | None) -> None:
        if value != self._path:
            self._path = value
            self.path_changed.emit(value or "")

    def mark_saved(self, path: str | None) -> None:
        self.path = path
        self.dirty = False

    def title(self) -> str:
        return Path(self._path).name if self._path else "Untitled"
