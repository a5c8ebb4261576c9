"""Session files (images, masks, settings), autosave and crash recovery.

A session is one JSON file (``.nss``): the image paths, the settings, the
region->style map, the names the user gave regions (older files have none),
each mask as base64 PNGs (its regions in their colours, and since version 2
how firmly each pixel is painted, so soft edges survive), since version 2
the last result (an 8-bit PNG, with the settings it was made with), and in
version 3 (only then) the video frame that is the content; a session
survives being moved as long as the images stay where they were. Autosave
writes the same format to the state folder every minute while there are
changes; a clean close deletes it, so an autosave found at start-up means a crash.
"""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from engine.errors import StyleError
from engine.settings import Settings

from .atomic import write_atomically
from .dialogs import ask_discard_run, ask_save_changes, show_message, window_text
from .document import Document
from .export import confirm_overwrite
from .model import DocumentModel
from .palette import colour_table
from .prefs import Preferences
from .running import Runner
from .session_read import PLAIN_VERSION, VERSION, read_session  # noqa: F401  (read_session: the callers' entry)
from .video_frames import frame_index

AUTOSAVE_MS = 60_000
AUTOSAVE_NAME = "autosave.nss"
RESULT_AUTOSAVE_S = 30.0  # during a run, the latest preview is autosaved at most this often


def _png64(array: np.ndarray, mode: str) -> str:
    buf = io.BytesIO()
    Image.fromarray(array, mode).save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def session_dict(doc: Document, settings: Settings, running_result: np.ndarray | None = None) -> dict:
    """The session as JSON-ready data; `running_result` (a run's latest uint8 preview) stands in for the result."""
    masks, covers = {}, {}
    for key, mask in doc.masks.items():
        if not mask.is_empty():
            masks[key] = _png64(colour_table()[mask.label], "RGB")
            covers[key] = _png64(mask.cover, "L")
    data = {
        "format": "neural-style-studio-session",
        "version": PLAIN_VERSION,
        "content": doc.content.path if doc.content else None,
        "styles": [s.path for s in doc.styles],
        "settings": settings.to_dict(),
        "masks": masks,
        "covers": covers,
        "region_styles": {str(k): v for k, v in doc.region_styles.items()},
        "region_names": {str(k): v for k, v in sorted(doc.region_names.items())},
    }
    if frame_index(doc.content) is not None:  # a video's frame: the video and the frame reopen
        data |= {"content_frame": frame_index(doc.content), "version": VERSION}  # older builds cannot
    if running_result is not None:
        data["result"] = _png64(np.ascontiguousarray(running_result, np.uint8), "RGB")
        data["result_settings"] = settings.to_json()
    elif doc.result is not None:
        data["result"] = _png64(np.round(np.clip(doc.result, 0, 1) * 255).astype(np.uint8), "RGB")
        data["result_settings"] = doc.result_settings
    return data


def write_session(path: str | Path, data: dict) -> None:
    """Atomic: a temporary file next to the target, then a rename."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)

    write_atomically(path, write)


class SessionManager(QObject):
    """Save/load of the document model, plus the autosave timer and recovery.

    It holds the model, the run controller, the preferences and a parent widget
    for its questions; what the window shows afterwards it learns from the signals."""

    loaded = Signal(str)  # a session replaced the document: the key of the image to show
    saved = Signal(str)  # the path written
    recent_changed = Signal()  # the recent-sessions list changed

    def __init__(
        self,
        model: DocumentModel,
        runner: Runner,
        prefs: Preferences,
        parent: QWidget,
        state_dir: Path,
        load_samples: Callable[[], None],
    ):
        super().__init__(parent)
        self.model, self.runner, self.prefs, self.dialog_parent = model, runner, prefs, parent
        self.load_samples = load_samples  # File > New starts again from these
        self.autosaved = False  # the autosave holds the latest change (encoding a print-size result takes a while)
        self.state_dir = Path(state_dir)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()
        self.result_autosave_s = RESULT_AUTOSAVE_S
        self.clock = time.monotonic
        self._last_result_save: float | None = None
        self._latest_preview = None
        self.model.changed.connect(self._changed)
        runner.controller.started.connect(self._run_started)
        runner.controller.preview.connect(self.autosave_preview)

    @property
    def autosave_path(self) -> Path:
        return self.state_dir / AUTOSAVE_NAME

    @property
    def dirty(self) -> bool:
        return self.model.dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        self.model.dirty = value

    @property
    def path(self) -> str | None:
        return self.model.path

    @path.setter
    def path(self, value: str | None) -> None:
        self.model.path = value

    def _changed(self) -> None:
        self.autosaved = False

    def mark_dirty(self) -> None:
        self.model.mark_dirty()

    def maybe_save(self, doing: str) -> bool:
        """Before `doing` something that drops the current work: Save / Discard / Cancel.

        True when the caller may go on (nothing unsaved, saved, or discarded). A run or an export
        in progress is work too: it is stopped only when the user agrees (the instant preview is not)."""
        if not self.runner.discard(lambda what: ask_discard_run(self.dialog_parent, doing, what)):
            return False
        if not self.dirty:
            return True
        answer = ask_save_changes(self.dialog_parent, doing)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new(self) -> bool:
        """File > New: the built-in samples and default settings, no file name."""
        if not self.maybe_save("start a new session"):
            return False
        self.runner.controller.shutdown()
        self.model.replace(Document(), Settings())
        self.load_samples()
        self.model.mark_saved(None)
        return True

    def current(self) -> dict:
        return session_dict(self.model.doc, self.model.settings)

    def save(self, ask: bool = False, path: str | None = None) -> bool:
        path = path or (None if ask else self.path)
        if not path:
            # Asked here, not by the file dialog: one rule and one question for every file the window writes.
            path, _ = QFileDialog.getSaveFileName(
                self.dialog_parent,
                "Save session",
                "session.nss",
                "Sessions (*.nss)",
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
            if not path:
                return False
            if not path.endswith(".nss"):
                path += ".nss"
            if Path(path).exists() and not confirm_overwrite(self.dialog_parent, path):
                return False
        try:
            write_session(path, self.current())
        except (OSError, StyleError) as exc:
            show_message(self.dialog_parent, "Could not save the session", window_text(exc))
            return False
        self.path, self.dirty = path, False
        self.prefs.add_recent("sessions", path)
        self.recent_changed.emit()
        self.saved.emit(path)
        return True

    def open_dialog(self) -> None:
        if not self.maybe_save("open another session"):
            return
        path, _ = QFileDialog.getOpenFileName(self.dialog_parent, "Open session", "", "Sessions (*.nss)")
        if path:
            self.load(path, ask=False)

    def load(self, path: str, remember: bool = True, ask: bool = True) -> bool:
        if ask and remember and not self.maybe_save("open another session"):
            return False
        try:
            doc, settings = read_session(path)
        except StyleError as exc:
            show_message(self.dialog_parent, "Cannot open the session", window_text(exc))
            return False
        self.runner.controller.shutdown()
        self.model.replace(doc, settings, path if remember else self.model.path)
        self.loaded.emit("result" if doc.result is not None else "content" if doc.content else (doc.keys() or [""])[0])
        if remember:
            self.prefs.add_recent("sessions", path)
            self.recent_changed.emit()
        return True

    def autosave(self) -> bool:
        if not self.dirty or self.autosaved:
            return False
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            write_session(
                self.autosave_path,
                session_dict(self.model.doc, self.model.settings, running_result=self._running_result()),
            )
        except (OSError, StyleError):
            return False  # autosave is best effort; the next tick tries again
        self.autosaved = True
        return True

    def _run_started(self) -> None:
        self._last_result_save = None
        self._latest_preview = None

    def _running_result(self):
        """The run's newest preview while a run is on (the timer's autosave must not drop it), else None."""
        running = self.runner.controller.is_running() and self.runner.mode in ("run", "export")
        return self._latest_preview if running else None

    def autosave_preview(self, rgb) -> bool:
        """During a run: autosave the newest preview as the result, at most every result_autosave_s seconds,
        so a crash at iteration 900 brings back iteration 900's image, not only the settings."""
        if self.runner.mode not in ("run", "export"):
            return False
        self._latest_preview = rgb
        now = self.clock()
        if self._last_result_save is not None and now - self._last_result_save < self.result_autosave_s:
            return False
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            settings = self.runner.last_settings or self.model.settings
            write_session(self.autosave_path, session_dict(self.model.doc, settings, running_result=rgb))
        except (OSError, StyleError):
            return False  # best effort, like the timer's autosave
        self._last_result_save = now
        return True

    def close_cleanly(self) -> None:
        self.timer.stop()
        self.autosave_path.unlink(missing_ok=True)

    def offer_recovery(self, ask=None) -> bool:
        """At start-up: an autosave left behind means the last run crashed; offer to restore it."""
        if not self.autosave_path.is_file():
            return False
        ask = ask or (
            lambda: (
                QMessageBox.question(
                    self.dialog_parent,
                    "Recover the last session?",
                    "Neural Style Studio did not close properly last time. Restore the images, masks, settings and the latest result it autosaved?",
                )
                == QMessageBox.StandardButton.Yes
            )
        )
        if ask():
            ok = self.load(str(self.autosave_path), remember=False)
            self.dirty = ok
            return ok
        self.autosave_path.unlink(missing_ok=True)
        return False
