"""The main window: canvas in the middle, images on the left, options and masks on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from batch.queue import JobQueue
from engine.errors import StyleError
from engine.settings import Settings
from resources import sample_path

from .canvas import Canvas
from .compare import CompareBar
from .dialogs import ask_and_load_image
from .document import Document, style_key
from .geometry import window_size
from .image_list import ImageList
from .mask_editor import MaskEditor
from .menus import Commands, Menus, Parts
from .model import DocumentModel
from .panels import OptionsPanel
from .prefs import Preferences
from .queue_files import current_job
from .queue_output import remembered_output_dir
from .queue_panel import QueuePanel
from .result_view import ResultView
from .run_panel import RunPanel
from .running import Runner
from .session import SessionManager
from .video_window import VideoWindow, is_video_path


class MainWindow(QMainWindow):
    def __init__(self, prefs: Preferences | None = None, state_dir: Path | None = None, load_samples: bool = True):
        super().__init__()
        self.setAcceptDrops(True)
        self.prefs = prefs or Preferences()
        self.state_dir = Path(
            state_dir or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        )
        self.model = DocumentModel(self)
        self.model.dirty_changed.connect(self.update_title)
        self.model.images_changed.connect(lambda: self.mask_editor.refresh_regions())
        self.model.path_changed.connect(self.update_title)
        self.update_title()
        self.setCentralWidget(self._build_centre())
        self._build_docks()
        self.runner = self._build_runner()
        self.view = ResultView(self.model, self.canvas, self.image_list, self.compare, self.mask_editor, self.runner)
        self.sessions = self._build_sessions()
        self.video = VideoWindow(self.model, self.runner, self.sessions, self.prefs, self)
        self.menus = self._build_menus()
        self.video.install(self.menus, self._session_loaded)
        self.acts = self.menus.actions
        self.view.compare_action = self.acts["compare"]
        self.runner.announce()
        self.statusBar()  # made now: made by the first "Saved …", it would push the canvas up by a line
        self._restore_settings()
        free = self.screen().availableGeometry()
        self.resize(*window_size((free.width(), free.height())))
        if load_samples:
            self.load_samples()
        self.model.dirty = False  # the samples and the remembered settings are no work to lose

    def _build_centre(self) -> QWidget:
        """The canvas, the before/after slider and the run strip."""
        self.canvas = Canvas(self)
        central = QWidget(self)
        self.compare = CompareBar(self.model, self.canvas, central)
        self.split_slider = self.compare.slider
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.canvas, 1)
        col.addWidget(self.compare)
        self.run_panel = RunPanel(central)
        col.addWidget(self.run_panel)
        return central

    def _build_docks(self) -> None:
        """The images on the left; the options and the mask editor, tabbed, on the right."""
        self.image_list = ImageList(self.model, self)
        self._dock("Images", self.image_list, Qt.DockWidgetArea.LeftDockWidgetArea)
        advanced = str(self.prefs.value("view/advanced", "false")).lower() == "true"
        self.options = OptionsPanel(self.model, self, advanced=advanced)
        self.options.advanced_toggled.connect(
            lambda on: self.prefs.set_value("view/advanced", "true" if on else "false")
        )
        self.options_dock = self._dock("Options", self.options, Qt.DockWidgetArea.RightDockWidgetArea)
        self.mask_editor = MaskEditor(self.model, self.canvas, self)
        self.mask_dock = self._dock("Mask editor", self.mask_editor, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.options_dock, self.mask_dock)
        queue = JobQueue(self.state_dir / "queue", remembered_output_dir(self.prefs, self.state_dir / "Queue results"))
        files = self.state_dir / "queue" / "files"  # a job's masks (and images without a file)
        self.queue_panel = QueuePanel(queue, lambda: current_job(self.model, files), prefs=self.prefs)
        self.queue_panel.job_finished.connect(
            lambda _id, path: self.statusBar().showMessage(f"Queue: saved {path}", 5000)
        )
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
        runner.exported.connect(lambda path: self.statusBar().showMessage(f"Exported {path}", 5000))
        return runner

    def _build_sessions(self) -> SessionManager:
        sessions = SessionManager(self.model, self.runner, self.prefs, self, self.state_dir, self.load_samples)
        sessions.loaded.connect(self._session_loaded)
        sessions.saved.connect(lambda path: self.statusBar().showMessage(f"Saved {path}", 5000))
        return sessions

    def _build_menus(self) -> Menus:
        parts = Parts(
            self.model,
            self.runner,
            self.canvas,
            self.sessions,
            self.mask_editor,
            self.options,
            self.prefs,
            (self.options_dock, self.mask_dock, self.queue_dock, self.video.dock),
        )
        commands = Commands(
            open_content=self.video.route(self.open_content),  # a recent video reopens as the video
            add_style=self.video.route(self.add_style),
            remove_style=self.remove_style,
            add_to_queue=self.add_to_queue,
            compare_toggled=self.view.sync_split,
            quit=self.close,
        )
        return Menus(self, parts, commands)

    def _session_loaded(self, key: str) -> None:
        """A session replaced the document: no AdaIN look of the old photo; show its result or its photo."""
        self.view.forget_instant()
        self.view.refresh_list()
        self.view.show_key(key)

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
        self.view.show_key("content")

    def _ask_and_load(self, path: str | None, title: str, what: str):
        return ask_and_load_image(self, path, title, what, self._folder())

    def open_content(self, path: str | None = None, remember: bool = True) -> bool:
        if self.doc.content is not None and remember and not self.sessions.maybe_save("open another photo"):
            return False
        path, image = self._ask_and_load(path, "Open content image", "Content image")
        if image is None:
            return False
        self.model.set_content(image)
        self.view.forget_instant()
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
        key = self.view.shown_key
        if key.startswith("style"):
            self.model.remove_style(int(key[5:]))
            self.view.refresh_list()
            self.view.show_key("content")

    def _loaded(self, path: str, remember: bool, key: str) -> None:
        if remember:
            self.prefs.add_recent("images", path)
            self.prefs.set_value("open/folder", str(Path(path).parent))
            self.menus.fill_recent()
        self.view.refresh_list()
        self.view.show_key(key)
        self.runner.instant_preview()

    def _folder(self) -> str:
        return str(self.prefs.value("open/folder", str(Path.home())))

    # --- drag and drop ------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """The first dropped file becomes the content when there is none; the rest are styles.

        Dropping with Shift held always replaces the content; a video (or a folder of frames) opens as the video."""
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        replace = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        for path in paths:
            if path.endswith(".nss"):
                self.sessions.load(path)
            elif is_video_path(path):
                self.video.open(path)
            elif self.doc.content is None or replace:
                self.open_content(path)
                replace = False
            else:
                self.add_style(path)
        event.acceptProposedAction()

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
