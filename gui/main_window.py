"""The main window: canvas in the middle, images on the left, options and masks on the right."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QSlider, QVBoxLayout, QWidget

from batch.queue import JobQueue
from engine.errors import StyleError
from engine.image.io import load_image
from engine.settings import Settings
from resources import sample_path

from .canvas import Canvas
from .dialogs import show_message
from .mask_editor import MaskEditor
from .menus import build_menus, fill_recent
from .document import Document, style_key
from .image_list import ImageList
from .model import DocumentModel
from .panels import OptionsPanel
from .prefs import Preferences
from .queue_files import current_job
from .queue_panel import QueuePanel
from .qimages import rgb_to_qimage
from .run_panel import RunPanel
from .running import Runner
from .session import SessionManager

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, prefs: Preferences | None = None, state_dir: Path | None = None, load_samples: bool = True):
        super().__init__()
        self.setAcceptDrops(True)
        self.prefs = prefs or Preferences()
        self.state_dir = Path(state_dir or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
        self.model = DocumentModel(self)
        self.model.dirty_changed.connect(self.update_title)
        self.model.images_changed.connect(lambda: self.mask_editor.refresh_regions())
        self.model.path_changed.connect(self.update_title)
        self.update_title()
        self.shown_key = ""
        self.instant_image: np.ndarray | None = None  # the AdaIN look, shown until a result exists
        self.setCentralWidget(self._build_centre())
        self._build_docks()
        self.runner = self._build_runner()
        self.acts = build_menus(self)
        self.runner.announce()
        self.sessions = SessionManager(self)
        self._restore_settings()
        self.resize(1300, 850)
        if load_samples:
            self.load_samples()
        self.model.dirty = False  # the samples and the remembered settings are no work to lose

    def _build_centre(self) -> QWidget:
        """The canvas, the before/after slider and the run strip."""
        self.canvas = Canvas(self)
        self.split_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.split_slider.setRange(0, 100)
        self.split_slider.setValue(50)
        self.split_slider.setToolTip("Before/after: drag to compare the content (left) with the result (right)")
        self.split_slider.valueChanged.connect(self._sync_split)
        self.canvas.split_moved.connect(lambda f: self.split_slider.setValue(round(f * 100)))
        self.compare_label = QLabel("Before | after", self)
        central = QWidget(self)
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.canvas, 1)
        row = QHBoxLayout()
        row.addWidget(self.compare_label)
        row.addWidget(self.split_slider, 1)
        col.addLayout(row)
        self.run_panel = RunPanel(central)
        col.addWidget(self.run_panel)
        return central

    def _build_docks(self) -> None:
        """The images on the left; the options and the mask editor, tabbed, on the right."""
        self.image_list = ImageList(self.model, self)
        self.image_list.key_chosen.connect(self.show_key)
        self._dock("Images", self.image_list, Qt.DockWidgetArea.LeftDockWidgetArea)
        advanced = str(self.prefs.value("view/advanced", "false")).lower() == "true"
        self.options = OptionsPanel(self.model, self, advanced=advanced)
        self.options.advanced_toggled.connect(lambda on: self.prefs.set_value("view/advanced", "true" if on else "false"))
        self.options_dock = self._dock("Options", self.options, Qt.DockWidgetArea.RightDockWidgetArea)
        self.mask_editor = MaskEditor(self)
        self.mask_dock = self._dock("Mask editor", self.mask_editor, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.options_dock, self.mask_dock)
        queue = JobQueue(self.state_dir / "queue", self.state_dir / "Queue results")
        files = self.state_dir / "queue" / "files"  # a job's masks (and images without a file)
        self.queue_panel = QueuePanel(queue, current_document=lambda: current_job(self.model, files))
        self.queue_panel.job_finished.connect(lambda _id, path: self.statusBar().showMessage(f"Queue: saved {path}", 5000))
        self.queue_dock = self._dock("Queue", self.queue_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.mask_dock, self.queue_dock)
        self.options_dock.raise_()
        QWidget.setTabOrder(self.image_list, self.canvas)  # Tab goes left to right, then into the right-hand docks
        QWidget.setTabOrder(self.canvas, self.split_slider)

    def add_to_queue(self) -> None:
        """Run ▸ Add to queue: the current photo, styles, masks and settings as one more job."""
        self.queue_dock.show()
        self.queue_dock.raise_()
        self.queue_panel.add_current()

    def _build_runner(self) -> Runner:
        """The run controller holds the model and the run strip; what it shows comes back here by signals."""
        runner = Runner(self.model, self.run_panel, self.prefs, self)
        runner.instant_enabled = str(self.prefs.value("view/instant_preview", "true")).lower() == "true"
        runner.image_ready.connect(self.show_result_image)
        runner.preview_ready.connect(self._show_preview)
        runner.run_started.connect(self._show_run_start)
        runner.exported.connect(lambda path: self.statusBar().showMessage(f"Exported {path}", 5000))
        return runner

    def _restore_settings(self) -> None:
        """The settings of the last session, when they are still valid."""
        last = self.prefs.last_settings()
        if last:
            try:
                self.model.set_settings(Settings.from_dict(last).validate())
            except (StyleError, TypeError):
                pass

    @property
    def doc(self) -> Document:
        """The model's images, masks and result (the model owns them)."""
        return self.model.doc

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # --- loading ----------------------------------------------------------------
    def load_samples(self) -> None:
        self.open_content(str(sample_path("content")), remember=False)
        self.add_style(str(sample_path("style")), remember=False)
        self.show_key("content")

    def _load(self, path: str, what: str):
        try:
            return load_image(path, what)
        except StyleError as exc:
            show_message(self, f"Cannot open {Path(path).name}", str(exc))
            return None

    def _ask_and_load(self, path: str | None, title: str, what: str):
        """(path, image) from the given path or an open dialog; (None, None) if cancelled or bad."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, title, self._folder(), IMAGE_FILTER)
            if not path:
                return None, None
        image = self._load(path, what)
        return (path, image) if image is not None else (None, None)

    def open_content(self, path: str | None = None, remember: bool = True) -> bool:
        if self.doc.content is not None and remember and not self.sessions.maybe_save("open another photo"):
            return False
        path, image = self._ask_and_load(path, "Open content image", "Content image")
        if image is None:
            return False
        self.model.set_content(image)
        self.instant_image = None
        self._loaded(path, remember, "content")
        return True

    def add_style(self, path: str | None = None, remember: bool = True) -> bool:
        path, image = self._ask_and_load(path, "Add style image", "Style image")
        if image is None:
            return False
        self.model.add_style(image)
        self._loaded(path, remember, style_key(len(self.doc.styles) - 1))
        return True

    def remove_style(self) -> None:
        key = self.shown_key
        if key.startswith("style"):
            self.model.remove_style(int(key[5:]))
            self.refresh_list()
            self.show_key("content")

    def _loaded(self, path: str, remember: bool, key: str) -> None:
        if remember:
            self.prefs.add_recent("images", path)
            self.prefs.set_value("open/folder", str(Path(path).parent))
            self.actions_refresh_recent()
        self.refresh_list()
        self.show_key(key)
        self.runner.instant_preview()

    def _folder(self) -> str:
        return str(self.prefs.value("open/folder", str(Path.home())))

    def actions_refresh_recent(self) -> None:
        fill_recent(self)

    # --- drag and drop ------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """The first dropped file becomes the content when there is none; the rest are styles.

        Dropping with Shift held always replaces the content."""
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        replace = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        for path in paths:
            if path.endswith(".nss"):
                self.sessions.load(path)
            elif self.doc.content is None or replace:
                self.open_content(path)
                replace = False
            else:
                self.add_style(path)
        event.acceptProposedAction()

    # --- showing ------------------------------------------------------------------
    def refresh_list(self) -> None:
        preview = self.instant_image is not None or self.runner.controller.is_running()
        self.image_list.refresh(self.shown_key, self.instant_image, with_result=preview)

    def show_key(self, key: str) -> None:
        """Show the content, a style image or the result on the canvas."""
        rgb = self.doc.image(key) if key != "result" else (self.doc.result if self.doc.result is not None else self.instant_image)
        if rgb is None and key == "result":
            rgb = self.doc.image("content")  # until the first preview arrives
        self.shown_key = key
        if key == "result" and key not in self.image_list.keys():
            self.refresh_list()
        self.image_list.select(key)
        self.canvas.set_image(rgb_to_qimage(rgb) if rgb is not None else None)
        self._sync_split()
        self.mask_editor.set_key(key)

    def show_result_image(self, rgb: np.ndarray, instant: bool = False) -> None:
        """A preview, the AdaIN image or a finished result: shown in the Result view."""
        if instant:
            self.instant_image = rgb
        if self.shown_key != "result":
            self.show_key("result")
        self.canvas.set_image(rgb_to_qimage(rgb))
        self._sync_split()
        if self.image_list.current_key() == "result" and not self.runner.controller.is_running():
            self.refresh_list()  # the finished picture's thumbnail

    def _show_run_start(self) -> None:
        """Until the run's first preview: the AdaIN look or the last result, never the photo again."""
        if self.doc.result is None and self.instant_image is not None:
            self.show_result_image(self.instant_image)
        elif self.doc.result is not None:
            self.show_key("result")
        # else the first preview (the AdaIN start) switches to the result view

    def _show_preview(self, rgb: np.ndarray) -> None:
        if self.doc.result is None and self.instant_image is None:
            self.instant_image = rgb  # the run's AdaIN start: what the Result view shows, never the photo
        self.show_result_image(rgb)

    def _sync_split(self) -> None:
        on = self.acts["compare"].isChecked() if hasattr(self, "acts") else True
        comparable = self.shown_key == "result" and self.doc.content is not None and on
        self.split_slider.setEnabled(comparable)
        if comparable:
            size = self.canvas.image_size()
            before = rgb_to_qimage(self.doc.content.rgb).scaled(*size) if size[0] else None
            self.canvas.set_before(before)
            self.canvas.set_split(self.split_slider.value() / 100)
        else:
            self.canvas.set_before(None)
            self.canvas.set_split(None)

    # --- closing ------------------------------------------------------------------
    def update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.model.title()}[*] — Neural Style Studio")
        self.setWindowModified(self.model.dirty)

    def closeEvent(self, event) -> None:
        """Offer to save unsaved work; cancel any run, wait for its thread, remember the settings, then close."""
        if not self.sessions.maybe_save("quit"):
            event.ignore()
            return
        self.runner.controller.shutdown()
        self.queue_panel.shutdown()  # a queued job stops and keeps its best image; the rest stay queued
        try:
            self.prefs.set_last_settings(self.model.settings.to_dict())
        except StyleError:
            pass
        self.prefs.set_value("window/geometry", self.saveGeometry())
        self.sessions.close_cleanly()
        self.prefs.sync()
        super().closeEvent(event)
