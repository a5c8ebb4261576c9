"""What the canvas shows: the photo, a style, or the Result view (a run's previews, the AdaIN look, the result).

The image list picks a key ("content", "style0", ..., "result"); runs send previews and results.
This keeps which key is shown and the AdaIN look of the current photo, and keeps the list's
selection, the canvas, the before/after split and the mask editor's target in step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from .canvas import Canvas
from .compare import CompareBar
from .image_list import ImageList
from .mask_editor import MaskEditor
from .model import DocumentModel
from .qimages import rgb_to_qimage
from .running import Runner


class ResultView(QObject):
    def __init__(
        self,
        model: DocumentModel,
        canvas: Canvas,
        image_list: ImageList,
        compare: CompareBar,
        mask_editor: MaskEditor,
        runner: Runner,
    ):
        super().__init__(canvas)
        self.model, self.canvas, self.image_list, self.compare = model, canvas, image_list, compare
        self.mask_editor, self.runner = mask_editor, runner
        self.shown_key = ""
        self.instant_image: np.ndarray | None = None  # the AdaIN look, shown until a result exists
        self.compare_action: QAction | None = None  # View > Before/after split, once the menus exist
        image_list.key_chosen.connect(self.show_key)
        runner.image_ready.connect(self.show_result_image)
        runner.preview_ready.connect(self._show_preview)
        runner.run_started.connect(self._show_run_start)

    def forget_instant(self) -> None:
        """A new photo or a loaded session: the AdaIN look of the old photo is no longer the Result."""
        self.instant_image = None

    def refresh_list(self) -> None:
        preview = self.instant_image is not None or self.runner.controller.is_running()
        self.image_list.refresh(self.shown_key, self.instant_image, with_result=preview)

    def show_key(self, key: str) -> None:
        """Show the content, a style image or the result on the canvas."""
        doc = self.model.doc
        rgb = doc.image(key) if key != "result" else (doc.result if doc.result is not None else self.instant_image)
        if rgb is None and key == "result":
            rgb = doc.image("content")  # until the first preview arrives
        self.shown_key = key
        if key == "result" and key not in self.image_list.keys():
            self.refresh_list()
        self.image_list.select(key)
        self.canvas.set_image(rgb_to_qimage(rgb) if rgb is not None else None)
        self.sync_split()
        self.mask_editor.set_key(key)

    def show_result_image(self, rgb: np.ndarray, instant: bool = False) -> None:
        """A preview, the AdaIN image or a finished result: shown in the Result view."""
        if instant:
            self.instant_image = rgb
        if self.shown_key != "result":
            self.show_key("result")
        self.canvas.set_image(rgb_to_qimage(rgb))
        self.sync_split()
        if self.image_list.current_key() == "result" and not self.runner.controller.is_running():
            self.refresh_list()  # the finished picture's thumbnail

    def _show_run_start(self) -> None:
        """Until the run's first preview: the AdaIN look or the last result, never the photo again."""
        if self.model.doc.result is None and self.instant_image is not None:
            self.show_result_image(self.instant_image)
        elif self.model.doc.result is not None:
            self.show_key("result")
        # else the first preview (the AdaIN start) switches to the result view

    def _show_preview(self, rgb: np.ndarray) -> None:
        if self.model.doc.result is None and self.instant_image is None:
            self.instant_image = rgb  # the run's AdaIN start: what the Result view shows, never the photo
        self.show_result_image(rgb)

    def sync_split(self) -> None:
        on = self.compare_action.isChecked() if self.compare_action is not None else True
        self.compare.set_active(self.shown_key == "result" and on)
