"""A video as the window's content (issue 17, the window's part).

File ▸ Open video as content… puts one frame of a clip into the document
as its content photo, so Run and the preview work on it unchanged; the
Video dock's slider picks the frame (decoded on demand, off the GUI
thread). Export Video… renders the whole clip with engine/video in a
worker (gui/video_worker.py) and ends with "Saved to …"; the result, or
any stylised video, plays in a small player (gui/video_player.py).

`add_video_actions(window, file_menu)` is the whole hook: the window is
used through what its own open_content uses (model, runner, sessions,
refresh_list, show_key).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox

from engine.errors import StyleError
from engine.image.io import LoadedImage
from engine.video.frames import open_source
from engine.video.libs import require_video_libs

from .dialogs import error_sentence, show_message
from .export import show_saved
from .video_dock import VideoPanel
from .video_export_setup import prepare_job
from .video_frames import FrameLoader
from .video_player import VideoPlayer
from .video_worker import VideoExport

VIDEO_FILTER = "Videos (*.mp4 *.mov *.mkv *.webm *.gif *.avi);;All files (*)"


def add_video_actions(window, file_menu) -> VideoWindow:
    """The video entries of the File menu, the Video dock and its controller."""
    video = VideoWindow(window)
    file_menu.addSeparator()
    for action in video.actions.values():
        file_menu.addAction(action)
    window.video = video
    return video


class VideoWindow(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.source = None  # the engine VideoSource opened as the content
        self.loader: FrameLoader | None = None
        self.frame_image: LoadedImage | None = None  # the frame this put into the document
        self.players: list[VideoPlayer] = []
        self.last_output: Path | None = None
        self.panel = VideoPanel()
        self.dock = QDockWidget("Video", window)
        self.dock.setObjectName("dock_Video")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.export = VideoExport(self)
        self.actions = self._build_actions()
        self._connect()
        window.installEventFilter(self)

    def _build_actions(self) -> dict[str, QAction]:
        def action(text: str, slot, tip: str) -> QAction:
            act = QAction(text, self.w)
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
        e.ended.connect(self._ended)
        e.failed.connect(self._failed)
        self.w.model.images_changed.connect(self._content_changed)
        self.w.runner.busy_changed.connect(lambda running, *_: p.slider.setEnabled(not running and not e.is_running()))

    # --- opening ---------------------------------------------------------------------
    def _folder(self) -> str:
        return str(self.w.prefs.value("open/folder", str(Path.home())))

    def _libs_ready(self) -> bool:
        try:
            require_video_libs()
        except StyleError as exc:
            show_message(self.w, "Video needs more libraries", str(exc))
            return False
        return True

    def open_video(self, path: str | None = None) -> bool:
        if not self._libs_ready():
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.w, "Open video as content", self._folder(), VIDEO_FILTER)
        return bool(path) and self.open(path)

    def open_frames(self, path: str | None = None) -> bool:
        if not self._libs_ready():
            return False
        if path is None:
            path = QFileDialog.getExistingDirectory(self.w, "Open folder of frames as content", self._folder())
        return bool(path) and self.open(path)

    def open(self, path: str) -> bool:
        """Make `path` (a video file or a folder of frames) the content, showing its first frame."""
        if self.export.is_running():
            show_message(self.w, "An export is running", "Stop the video export before opening another video.")
            return False
        try:
            source = open_source(path)
        except StyleError as exc:
            show_message(self.w, f"Cannot open {Path(path).name}", str(exc))
            return False
        if self.w.doc.content is not None and not self.w.sessions.maybe_save("open a video"):
            return False
        self._close_video()
        self.source, self.loader = source, FrameLoader(source)
        self.loader.frame_ready.connect(self._frame_ready)
        self.loader.failed.connect(lambda text: show_message(self.w, "Cannot show this frame", text))
        self.panel.set_source(source.count, float(source.fps))
        self.w.prefs.set_value("open/folder", str(Path(path).parent))
        self.dock.setWindowTitle(f"Video: {source.path.name}")
        self.dock.show()
        self.dock.raise_()
        self.loader.request(0)
        return True

    def _frame_chosen(self, k: int) -> None:
        if self.loader is not None:
            self.loader.request(k)

    def _frame_ready(self, k: int, rgb) -> None:
        """The decoded frame becomes the document's content, as File ▸ Open does with a photo."""
        if self.loader is None or self.sender() is not self.loader or k != self.panel.slider.value():
            return  # a frame the slider has moved on from; the newer one is on its way
        self.frame_image = LoadedImage(rgb, None, str(self.source.path), {})
        self.w.model.set_content(self.frame_image)
        self.w.instant_image = None
        self.w.refresh_list()
        self.w.show_key("content")
        self.w.runner.instant_preview()
        self.actions["export_video"].setEnabled(True)

    def _content_changed(self) -> None:
        """Another photo, a session or File ▸ New replaced the frame: the video is no longer the content."""
        if self.frame_image is not None and self.w.doc.content is not self.frame_image:
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
        if not self._libs_ready() or self.export.is_running():
            return False
        if self.source is None:
            show_message(self.w, "No video", "Open a video as the content first (File ▸ Open video as content…).")
            return False
        job = prepare_job(self.w, self.source, self.panel.options())
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
        notes = "".join(f" Note: {n}." for n in outcome.notes)
        if not outcome.stopped:
            self.last_output = outcome.written
            self.panel.play_button.setEnabled(True)
            self.panel.end(f"Saved to {outcome.written} ({outcome.done} frames).{notes}")
            show_saved(self.w, str(outcome.written))
            return
        if outcome.written is None:
            text = "Stopped before the first frame was finished; nothing was written."
        else:
            self.last_output = outcome.written
            self.panel.play_button.setEnabled(True)
            text = (
                f"Stopped after {outcome.done} of {outcome.total} frames; wrote them to {outcome.written}. "
                f"Export again with the same settings to finish (the frames done wait in {outcome.cache})."
            )
        self.panel.end(text + notes)
        show_message(self.w, "Export stopped", text + notes, QMessageBox.Icon.Information)

    def _failed(self, exc) -> None:
        self.panel.end("The export failed.")
        show_message(self.w, "The video export failed", error_sentence(exc), QMessageBox.Icon.Critical)

    # --- playing ---------------------------------------------------------------------
    def play(self, path: str | None = None) -> VideoPlayer | None:
        if not self._libs_ready():
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.w, "Play video", self._folder(), VIDEO_FILTER)
            if not path:
                return None
        try:
            source = open_source(path)
        except StyleError as exc:
            show_message(self.w, f"Cannot play {Path(path).name}", str(exc))
            return None
        player = VideoPlayer(source, self.w)
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
        if watched is self.w and event.type() == QEvent.Type.Close:
            self.shutdown()  # the window's own closeEvent asks about unsaved work next; threads restart on demand
        return False
