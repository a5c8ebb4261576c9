"""A video as the window's content (issue 17, the window's part).

Video ▸ Open video as content… (or a video dropped on the window, or one
from File ▸ Open recent) puts one frame of a clip into the document as its
content photo, so Run and the preview work on it unchanged; the Video
dock's slider picks the frame (decoded on demand, off the GUI thread).
Export video… renders the whole clip with engine/video in a worker
(gui/video_worker.py) and ends with "Saved to …"; the result, or any
stylised video, plays in a small player (gui/video_player.py). A session
saved while a frame is the content remembers the video and the frame
(gui/session.py), and reopens both.

Like the session manager and the mask editor, `VideoWindow` holds the
document model, the run controller, the session manager, the preferences
and a parent widget for its dialogs and dock, never the window: what the
window shows afterwards it learns from `content_shown`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMessageBox

from engine.errors import StyleError
from engine.video.frames import open_source
from engine.video.libs import require_video_libs

from .dialogs import error_sentence, show_message, window_text
from .export import show_saved
from .model import DocumentModel
from .prefs import Preferences
from .running import Runner
from .session import SessionManager
from .video_dock import VideoPanel
from .video_export_setup import prepare_job
from .video_frames import FrameLoader, frame_image, frame_index
from .video_paths import VIDEO_FILTER, is_video_path
from .video_player import VideoPlayer
from .video_worker import VideoExport, ended_text


class VideoWindow(QObject):
    content_shown = Signal(str)  # a frame became the content: the key to show ("content")
    recent_changed = Signal()  # a video joined the recent images (File ▸ Open recent)

    def __init__(
        self, model: DocumentModel, runner: Runner, sessions: SessionManager, prefs: Preferences, parent: QMainWindow
    ):
        super().__init__(parent)
        self.model, self.runner, self.sessions, self.prefs, self.parent_widget = model, runner, sessions, prefs, parent
        self.source = None  # the engine VideoSource opened as the content
        self.loader: FrameLoader | None = None
        self.frame_image = None  # the LoadedImage this put into the document
        self.players: list[VideoPlayer] = []
        self.last_output: Path | None = None
        self.panel = VideoPanel()
        self.dock = QDockWidget("Video", parent)
        self.dock.setObjectName("dock_Video")
        self.dock.setWidget(self.panel)
        self.dock.hide()
        # View ▸ Video (the dock's toggleViewAction) keeps its name while the title names the file
        self.dock.windowTitleChanged.connect(lambda _title: self.dock.toggleViewAction().setText("Video"))
        self.export = VideoExport(self)
        self.actions = self._build_actions()
        self._connect()
        parent.installEventFilter(self)

    def install(self, menus, show_key: Callable[[str], None]) -> None:
        """The window's part: the dock at the bottom, the Video menu, and what a frame shows."""
        self.parent_widget.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        a = self.actions
        menus.add_menu("V&ideo", [a["open_video"], a["open_frames"], None, a["export_video"], a["play_video"]])
        self.recent_changed.connect(menus.fill_recent)
        self.content_shown.connect(show_key)

    def route(self, opener: Callable[..., bool]) -> Callable[..., bool]:
        """`opener` (open a photo, add a style) with a video path opening as the video content instead."""
        return lambda path=None, *args, **kw: self.open(path) if is_video_path(path) else opener(path, *args, **kw)

    def _build_actions(self) -> dict[str, QAction]:
        def action(text: str, slot, tip: str) -> QAction:
            act = QAction(text, self.parent_widget)
            act.setStatusTip(tip)
            act.setToolTip(tip)
            act.triggered.connect(lambda: slot())
            return act

        actions = {
            "open_video": action(
                "Open video as content…",
                self.open_video,
                "Open a video (.mp4, .mov, .mkv, .webm, .gif); one frame at a time is the content",
            ),
            "open_frames": action(
                "Open folder of frames as content…",
                self.open_frames,
                "Open a folder of numbered frames (frame_0001.png, …) as a video",
            ),
            "export_video": action(
                "Export video…", self.export_video, "Stylise every frame of the video with temporal consistency"
            ),
            "play_video": action("Play video…", self.play, "Play a video, such as an exported one, in the window"),
        }
        actions["export_video"].setEnabled(False)
        return actions

    def _connect(self) -> None:
        p, e = self.panel, self.export
        p.frame_chosen.connect(self._frame_chosen)
        p.export_button.setDefaultAction(self.actions["export_video"])
        p.play_button.setText("Play result")
        p.play_button.setEnabled(False)
        p.play_button.clicked.connect(lambda: self.play(str(self.last_output)) if self.last_output else None)
        p.pause_button.clicked.connect(e.toggle_pause)
        p.stop_button.clicked.connect(e.stop)
        e.busy_changed.connect(self._busy)
        e.frame_done.connect(p.show_frame)
        e.iteration.connect(p.show_iteration)
        e.preview.connect(p.show_preview)
        e.ended.connect(self._ended)
        e.failed.connect(self._failed)
        self.model.images_changed.connect(self._content_changed)
        self.sessions.loaded.connect(self._session_loaded)
        self.runner.busy_changed.connect(lambda running, *_: p.slider.setEnabled(not running and not e.is_running()))

    # --- opening ---------------------------------------------------------------------
    def _folder(self) -> str:
        return str(self.prefs.value("open/folder", str(Path.home())))

    def _libs_ready(self, what: str) -> bool:
        try:
            require_video_libs(what)
        except StyleError as exc:
            show_message(self.parent_widget, "Video needs more libraries", window_text(exc))
            return False
        return True

    def _source(self, path: str, verb: str):
        """The video or folder of frames at `path`; None, once a message said why, when it cannot be read."""
        try:
            return open_source(path)
        except StyleError as exc:
            show_message(self.parent_widget, f"Cannot {verb} {Path(path).name}", window_text(exc))
            return None

    def open_video(self, path: str | None = None) -> bool:
        if not self._libs_ready("Open video"):
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.parent_widget, "Open video", self._folder(), VIDEO_FILTER)
        return bool(path) and self.open(path)

    def open_frames(self, path: str | None = None) -> bool:
        if not self._libs_ready("Open folder of frames"):
            return False
        if path is None:
            path = QFileDialog.getExistingDirectory(self.parent_widget, "Open folder of frames", self._folder())
        return bool(path) and self.open(path)

    def open(self, path: str, frame: int = 0, session: bool = False) -> bool:
        """Make `path` (a video file or a folder of frames) the content, showing frame `frame`. `session`: a
        session just loaded holds that frame as its content already; no question, nothing to decode."""
        if not self._libs_ready("Open video"):
            return False
        if self.export.is_running():
            show_message(self.parent_widget, "An export is running", "Stop the video export before opening another.")
            return False
        source = self._source(path, "open")
        if source is None:
            return False
        if not session and self.model.doc.content is not None and not self.sessions.maybe_save("open a video"):
            return False
        self._close_video()
        self.source, self.loader = source, FrameLoader(source)
        self.loader.frame_ready.connect(self._frame_ready)
        self.loader.failed.connect(lambda text: show_message(self.parent_widget, "Cannot show this frame", text))
        self.panel.set_source(source.count, float(source.fps), min(frame, source.count - 1))
        self.dock.setWindowTitle(f"Video: {source.path.name}")
        self.dock.show()
        self.dock.raise_()
        if session:
            self.frame_image = self.model.doc.content
            self.actions["export_video"].setEnabled(True)
            return True
        self.prefs.set_value("open/folder", str(Path(path).parent))
        self.prefs.add_recent("images", str(path))
        self.recent_changed.emit()
        self.loader.request(self.panel.slider.value())
        return True

    def _session_loaded(self, _key: str) -> None:
        """A session whose content is a video's frame: the video opens again at that frame."""
        k = frame_index(self.model.doc.content)
        if k is not None:
            self.open(self.model.doc.content.path, k, session=True)

    def _frame_chosen(self, k: int) -> None:
        if self.loader is not None:
            self.loader.request(k)

    def _frame_ready(self, k: int, rgb) -> None:
        """The decoded frame becomes the document's content, as File ▸ Open does with a photo."""
        if self.loader is None or self.sender() is not self.loader or k != self.panel.slider.value():
            return  # a frame the slider has moved on from; the newer one is on its way
        self.frame_image = frame_image(self.source.path, rgb, k)
        self.model.set_content(self.frame_image)
        self.content_shown.emit("content")
        self.runner.instant_preview()
        self.actions["export_video"].setEnabled(not self.export.is_running())  # the frame may land mid-export

    def _content_changed(self) -> None:
        """Another photo, a session or File ▸ New replaced the frame: the video is no longer the content."""
        if self.frame_image is not None and self.model.doc.content is not self.frame_image:
            self._close_video()

    def _close_video(self) -> None:
        if self.loader is not None:
            self.loader.close()  # then dropped: Python owns it
        self.source, self.loader, self.frame_image = None, None, None
        self.actions["export_video"].setEnabled(False)
        if not self.export.is_running():
            self.dock.hide()

    # --- exporting -------------------------------------------------------------------
    def export_video(self) -> bool:
        if not self._libs_ready("Export Video") or self.export.is_running():
            return False
        if self.source is None:
            show_message(self.parent_widget, "No video", "Open a video first (Video ▸ Open video as content…).")
            return False
        job = prepare_job(self.parent_widget, self.model, self.runner, self.prefs, self.source, self.panel.options())
        if job is None:
            return False
        self.panel.begin(job.source.count)
        self.export.start(job)
        return True

    def _busy(self, running: bool, stopping: bool, paused: bool) -> None:
        self.panel.show_busy(running, stopping, paused)
        self.actions["export_video"].setEnabled(not running and self.source is not None)
        for key in ("open_video", "open_frames"):
            self.actions[key].setEnabled(not running)

    def _ended(self, outcome) -> None:
        text = ended_text(outcome)
        self.panel.end(text)
        if outcome.written is not None:
            self.last_output = outcome.written
            self.panel.play_button.setEnabled(True)
        if outcome.stopped:
            show_message(self.parent_widget, "Export stopped", text, QMessageBox.Icon.Information)
        else:
            show_saved(self.parent_widget, str(outcome.written))

    def _failed(self, exc) -> None:
        self.panel.end("The export failed.")
        show_message(self.parent_widget, "The video export failed", error_sentence(exc), QMessageBox.Icon.Critical)

    # --- playing ---------------------------------------------------------------------
    def play(self, path: str | None = None) -> VideoPlayer | None:
        if not self._libs_ready("Play video"):
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.parent_widget, "Play video", self._folder(), VIDEO_FILTER)
            if not path:
                return None
        source = self._source(path, "play")
        if source is None:
            return None
        player = VideoPlayer(source, self.parent_widget)
        player.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        player.destroyed.connect(lambda *_: self.players.remove(player) if player in self.players else None)
        self.players.append(player)
        player.show()
        return player

    # --- closing ---------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop an export (the frames done are written and stay cached) and every decoding thread."""
        self.export.shutdown()
        for player in list(self.players):
            player.close()
        if self.loader is not None:
            self.loader.close()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.parent_widget and event.type() == QEvent.Type.Close:
            self.shutdown()  # the window's own closeEvent asks about unsaved work next; threads restart on demand
        return False
