"""The Queue panel: a list of jobs run one after another on a worker thread.

A view of a batch.queue.JobQueue (Qt-free, saved in the app's data folder).
Each job runs as one RunController run on its own QThread, so the user goes
on editing while the queue renders; the next job starts when the previous
thread has ended (the controller's `idle`), never from a finished-handler.

Wiring into the window::

    queue = JobQueue(data_folder, output_folder)
    panel = QueuePanel(queue, current_document=window_document_as_dict)
    panel.job_finished.connect(...)       # (item id, output path)
    ...
    panel.shutdown()                      # on close: stop, wait for the thread

`current_document()` returns {"content": path, "styles": [paths],
"settings": Settings.to_dict(), "content_mask": path or None,
"style_masks": [path or None, ...]} or None when there is nothing to add.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from batch.queue import JobQueue, output_name, render_item

from .prefs import Preferences
from .queue_output import OutputFolder
from .queue_table import QueueTable
from .wording import in_window_words
from .worker import RunController

PHOTO_FILTER = "Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)"


class QueuePanel(QWidget):
    job_started = Signal(str)  # item id
    job_finished = Signal(str, str)  # item id, output path
    job_failed = Signal(str, str)  # item id, reason
    queue_finished = Signal()  # every job tried, or stopped
    running_changed = Signal(bool)

    def __init__(
        self,
        queue: JobQueue,
        current_document: Callable[[], dict | None] | None = None,
        parent: QWidget | None = None,
        prefs: Preferences | None = None,
    ):
        super().__init__(parent)
        self.queue, self.current_document = queue, current_document or (lambda: None)
        self.output = OutputFolder(queue, prefs, self)  # where results go: shown, changed (remembered in prefs), opened
        self.controller = RunController(self)
        self._current: str | None = None  # the job in progress
        self._job: str | None = None  # the job whose outcome is awaited (shutdown() ends the thread before it comes)
        self._tried: set[str] = set()
        self._stopping = False
        self._build()
        for name in ("progress", "finished", "cancelled", "failed", "idle"):
            getattr(self.controller, name).connect(getattr(self, f"_on_{name}"))
        queue.subscribe(self._sync)
        self._sync()
        if queue.notice:
            self.message.setText(queue.notice)

    # --- layout -------------------------------------------------------------
    def _build(self) -> None:
        self.table = QueueTable(self)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.buttons: dict[str, QPushButton] = {}
        edit, run = QGridLayout(), QGridLayout()  # rows of three: the dock fits beside the canvas at 200% scaling
        for i, (key, text, row, slot) in enumerate(
            (
                ("add", "Add current", edit, self.add_current),
                ("photos", "Add photos…", edit, lambda: self.add_photos()),
                ("duplicate", "Duplicate", edit, self._duplicate),
                ("up", "Up", edit, lambda: self._move(-1)),
                ("down", "Down", edit, lambda: self._move(1)),
                ("remove", "Remove", edit, self._remove),
                ("run", "Run all", run, self.run_all),
                ("pause", "Pause", run, None),
                ("stop", "Stop", run, self.stop),
            )
        ):
            button = self.buttons[key] = QPushButton(text, self)
            button.setObjectName(f"queue-{key}")
            row.addWidget(button, i % 6 // 3, i % 3)
            if slot is not None:
                button.clicked.connect(slot)
        self.buttons["pause"].setCheckable(True)
        self.buttons["pause"].toggled.connect(self.set_paused)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.output.problem.connect(self.message.setText)
        show_file = QAction("Show file in folder", self.table)
        show_file.triggered.connect(self.output.show_file)
        self.table.addAction(show_file)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        layout = QVBoxLayout(self)
        for part in (edit, self.table, run, self.output, self.message):
            layout.addLayout(part) if isinstance(part, QGridLayout) else layout.addWidget(part)

    # --- the view -----------------------------------------------------------
    def _sync(self) -> None:
        """Show the queue as it is: rows are updated in place, so progress is cheap."""
        self.table.show_items(self.queue.items)
        self._update_buttons()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.queue.items[rows[0].row()].id if rows and rows[0].row() < len(self.queue.items) else None

    def _select(self, item_id: str) -> None:
        self.table.selectRow(self.queue.index(item_id))

    def _update_buttons(self) -> None:
        chosen = self.selected_id()
        running = self.controller.is_running()
        busy = chosen is not None and self.queue.get(chosen).status == "running"
        self.output.set_job_output(self.queue.get(chosen).output if chosen is not None else None)
        self.table.actions()[0].setEnabled(self.output.buttons["file"].isEnabled())
        for key in ("up", "down", "duplicate"):
            self.buttons[key].setEnabled(chosen is not None)
        self.buttons["remove"].setEnabled(chosen is not None and not busy)
        self.buttons["run"].setEnabled(not running and self.queue.next_to_run() is not None)
        self.buttons["pause"].setEnabled(running)
        self.buttons["stop"].setEnabled(running)

    # --- editing ------------------------------------------------------------
    def add_job(self, content, styles, settings=None, content_mask=None, style_masks=None) -> str:
        return self.queue.add(content, styles, settings, content_mask, style_masks).id

    def add_current(self) -> None:
        doc = self.current_document()
        if not doc:
            self.message.setText("There is no document to add: open a photo and choose a style first.")
            return
        self._select(
            self.add_job(
                doc["content"], doc["styles"], doc.get("settings"), doc.get("content_mask"), doc.get("style_masks")
            )
        )

    def add_photos(self, photos: list | None = None) -> None:
        """Each photo as a job with the current document's styles and settings."""
        doc = self.current_document()
        if not doc or not doc.get("styles"):
            self.message.setText("Choose the styles first: the photos are added with the current styles.")
            return
        if photos is None:
            photos, _ = QFileDialog.getOpenFileNames(self, "Add photos to the queue", "", PHOTO_FILTER)
        if photos:
            self.queue.add_photos(list(photos), doc["styles"], doc.get("settings"))

    def _move(self, step: int) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self.queue.move(chosen, self.queue.index(chosen) + step)
            self._select(chosen)

    def _duplicate(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self._select(self.queue.duplicate(chosen).id)

    def _remove(self) -> None:
        chosen = self.selected_id()
        if chosen is not None and self.queue.get(chosen).status != "running":
            self.queue.remove(chosen)

    # --- running ------------------------------------------------------------
    def is_running(self) -> bool:
        return self.controller.is_running()

    def run_all(self) -> None:
        """Run every job not done yet, top to bottom, each once."""
        if self.controller.is_running():
            return
        self._tried, self._stopping = set(), False
        self.message.clear()
        self._start_next()

    def set_paused(self, paused: bool) -> None:
        self.controller.set_paused(paused)
        self.message.setText("Paused: the running job waits between iterations." if paused else "")

    def stop(self) -> None:
        """Stop after the running job saves its best image so far."""
        self._stopping = True
        self.controller.stop()

    def shutdown(self) -> None:
        """For the window's close: stop and wait for the thread to end."""
        self._stopping = True
        self.controller.shutdown(keep_outcome=True)  # the stopped job's outcome is recorded when it comes

    def _start_next(self) -> None:
        item = None if self._stopping else self.queue.next_to_run(self._tried)
        if item is None:
            self._current = None
            with QSignalBlocker(self.buttons["pause"]):
                self.buttons["pause"].setChecked(False)
            self.running_changed.emit(False)
            self._update_buttons()
            self.queue_finished.emit()
            return
        self._tried.add(item.id)
        out = Path(item.output) if item.status == "interrupted" and item.output else output_name(self.queue, item)
        job = item.job(out.name)
        self._current = self._job = item.id
        self.queue.set_state(item.id, "running", reason="", fraction=0.0)
        self.controller.start(lambda report, should_stop: render_item(job, out, report, should_stop))
        self.running_changed.emit(True)
        self.job_started.emit(item.id)
        self._update_buttons()

    def _on_progress(self, progress) -> None:
        if self._current is not None and hasattr(progress, "fraction"):
            self.queue.set_fraction(self._current, progress.fraction)

    def _on_finished(self, outcome) -> None:
        item_id = self._job
        if outcome.ok:
            self.queue.set_state(item_id, "done", reason="", output=outcome.saved, fraction=1.0)
            self.job_finished.emit(item_id, outcome.saved)
        else:
            reason = in_window_words(outcome.reason)  # the engine's reason names the command line's options
            self.queue.set_state(item_id, "failed", reason=reason, fraction=0.0)
            self.job_failed.emit(item_id, reason)

    def _on_cancelled(self, outcome) -> None:
        if outcome is None or not outcome.ok:
            return self._on_finished(outcome) if outcome is not None else None
        self.table.forget_thumb(outcome.saved)
        self.queue.set_state(
            self._job,
            "interrupted",
            output=outcome.saved,
            reason=f"stopped after {outcome.iterations} iterations; the best image so far is saved",
        )

    def _on_failed(self, exc) -> None:
        reason = in_window_words(f"unexpected error ({type(exc).__name__}: {exc})")
        self.queue.set_state(self._job, "failed", reason=reason, fraction=0.0)
        self.job_failed.emit(self._job, reason)

    def _on_idle(self) -> None:
        self._start_next()
