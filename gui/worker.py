"""Running engine work on a QThread.

The worker never touches a widget: it emits plain Python objects (engine
``Progress``, ``Result``, numpy previews) and the GUI-thread slots build
pixmaps. Cancellation is cooperative through ``should_stop``; pause blocks
inside ``should_stop`` until resumed, so the engine simply waits. Threads
are never terminated: on close the owner cancels, then waits.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

PREVIEW_INTERVAL = 0.1  # seconds: at most ten previews a second reach the window

# Every thread a controller starts, so tests can fail when one is left running.
LIVE_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()


class Worker(QObject):
    """Runs ``task(report, should_stop)`` once, in whatever thread it lives in."""

    started = Signal()
    progress = Signal(object)  # engine.progress.Progress (preview stripped)
    preview = Signal(object)  # numpy uint8 (H, W, 3)
    finished = Signal(object)  # the task's return value
    failed = Signal(object)  # the exception
    cancelled = Signal(object)  # the task's return value, when it ended because of a stop
    holding = Signal()  # paused: the task is parked between iterations until resumed

    def __init__(self, task: Callable[[Callable, Callable], Any]):
        super().__init__()
        self._task = task
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()
        self._last_preview = 0.0

    # Called from the GUI thread; only Events cross threads.
    def request_stop(self) -> None:
        self._stop.set()
        self._resume.set()

    def set_paused(self, paused: bool) -> None:
        if paused:
            self._resume.clear()
        else:
            self._resume.set()

    def is_paused(self) -> bool:
        return not self._resume.is_set()

    # Called from the worker thread.
    def should_stop(self) -> bool:
        if not self._resume.is_set() and not self._stop.is_set():
            self.holding.emit()
        while not self._resume.wait(0.05):
            if self._stop.is_set():
                break
        return self._stop.is_set()

    def report(self, progress) -> None:
        preview = getattr(progress, "preview", None)
        if preview is not None:
            now = time.monotonic()
            last = progress.iteration == progress.total and progress.stage_index == progress.stages - 1
            if now - self._last_preview >= PREVIEW_INTERVAL or last:
                self._last_preview = now
                self.preview.emit(preview)
            try:
                progress = _without_preview(progress)
            except TypeError:
                pass
        self.progress.emit(progress)

    @Slot()
    def run(self) -> None:
        self.started.emit()
        try:
            result = self._task(self.report, self.should_stop)
        except Exception as exc:  # the window shows it; the thread must end cleanly
            exc.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            self.failed.emit(exc)
            return
        if self._stop.is_set() or getattr(result, "cancelled", False):
            self.cancelled.emit(result)
        else:
            self.finished.emit(result)


def _without_preview(progress):
    return dataclasses.replace(progress, preview=None)


class RunController(QObject):
    """Owns at most one worker thread; forwards its signals; stops and joins it."""

    started = Signal()
    progress = Signal(object)
    preview = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal(object)
    holding = Signal()
    idle = Signal()  # the thread has ended; a new run may start

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: Worker | None = None
        self._late: Worker | None = None  # a forgotten worker whose outcome is still wanted

    def is_running(self) -> bool:
        return self._thread is not None

    def is_paused(self) -> bool:
        return bool(self._worker and self._worker.is_paused())

    def start(self, task: Callable[[Callable, Callable], Any]) -> None:
        if self._thread is not None:
            raise RuntimeError("A run is already in progress.")
        thread = QThread()
        thread.setObjectName("style-worker")
        worker = Worker(task)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        for name in ("started", "progress", "preview", "finished", "failed", "cancelled", "holding"):
            getattr(worker, name).connect(getattr(self, f"_relay_{name}"))
        # Direct: quit() runs in the worker thread, so it works even while the
        # GUI thread is blocked in shutdown()'s wait().
        for end in (worker.finished, worker.failed, worker.cancelled):
            end.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        # Bound to this thread: a replaced thread's late finished signal (the
        # instant preview's, when Run shut it down) must not wait on the new run.
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        LIVE_THREADS.add(thread)
        thread.start()

    # Relays, not signal-to-signal links: what a worker sent before shutdown()
    # forgot it is still queued, and must not reach the window (it would put a
    # stopped run's image into the document opened since, or autosave after a
    # clean close). Qt delivers events queued before a disconnect all the same.
    def _current(self) -> bool:
        return self._worker is not None and self.sender() is self._worker

    def _outcome_wanted(self) -> bool:
        """The current worker's, or the one a shutdown(keep_outcome=True) still waits to hear from."""
        sender = self.sender()
        if sender is not None and sender is self._late:
            self._late = None
            return True
        return self._current()

    @Slot()
    def _relay_started(self) -> None:
        if self._current():
            self.started.emit()

    @Slot()
    def _relay_holding(self) -> None:
        if self._current():
            self.holding.emit()

    @Slot(object)
    def _relay_progress(self, value) -> None:
        if self._current():
            self.progress.emit(value)

    @Slot(object)
    def _relay_preview(self, value) -> None:
        if self._current():
            self.preview.emit(value)

    @Slot(object)
    def _relay_finished(self, value) -> None:
        if self._outcome_wanted():
            self.finished.emit(value)

    @Slot(object)
    def _relay_failed(self, value) -> None:
        if self._outcome_wanted():
            self.failed.emit(value)

    @Slot(object)
    def _relay_cancelled(self, value) -> None:
        if self._outcome_wanted():
            self.cancelled.emit(value)

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.request_stop()

    def is_stopping(self) -> bool:
        """Stop was asked and the worker has not ended yet."""
        return bool(self._worker and self._worker._stop.is_set())

    def set_paused(self, paused: bool) -> None:
        if self._worker is not None:
            self._worker.set_paused(paused)

    def shutdown(self, timeout_ms: int | None = None, keep_outcome: bool = False) -> bool:
        """Cancel, wait for the thread to end, and forget it. True if it ended.

        By default it waits for the iteration in flight however long it takes: a
        thread left running would go on writing into a replaced document, and one
        destroyed while running aborts the process. What the run sent is dropped,
        unless keep_outcome: then its end (finished, failed or cancelled) still
        comes, after this returns (the queue records a stopped job that way)."""
        if self._thread is None:
            return True
        self._late = self._worker if keep_outcome else None
        self.stop()
        ended = self._thread.wait() if timeout_ms is None else self._thread.wait(timeout_ms)
        if ended:
            self._forget()
        return ended

    @Slot()
    def _on_thread_finished(self) -> None:
        if self.sender() is not self._thread:
            return  # a thread shutdown() already forgot; waiting on the current one would freeze the window
        self._forget()

    def _forget(self) -> None:
        if self._thread is None:
            return
        self._thread.wait()
        self._thread = None
        self._worker = None
        self.idle.emit()
