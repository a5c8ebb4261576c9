"""Run, Stop, Pause/Resume, the AdaIN instant preview and export.

The runner holds the document model, the run strip it keeps up to date and
the preferences; it never holds the window. What the window shows is its own
business: the runner says what happened with signals (an image for the
Result view, a run started, the actions' state, the estimate) and the window
wires them to the canvas and the menus.

All slots run on the GUI thread; the worker only sends objects. A new run is never
started from a finished-handler: export-after-run writes the file, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine.errors import StyleError
from engine.pipeline import estimate
from engine.pipeline.stages import plan_stages

from . import jobs
from .dialogs import show_failure, show_message, window_text
from .export import ExportDialog, confirm_overwrite, write_result
from .model import DocumentModel
from .prefs import Preferences
from .run_panel import RunPanel, format_took
from .size_checks import fits_before_work, window_settings
from .worker import RunController

NO_RESULT = "Run the style transfer first; then export the result."
NO_RESULT_YET = (
    "The run has no result yet: wait for it to end, or press Stop (Esc) to keep its best image; then export."
)


class Runner(QObject):
    """Owns the RunController of one document and says what its actions may do."""

    result_ready = Signal()  # a run (or the export run) produced a new result
    exported = Signal(str)  # path written
    image_ready = Signal(object, bool)  # (rgb, instant): show it in the Result view; instant: the AdaIN look
    preview_ready = Signal(object)  # a run's preview (rgb uint8)
    run_started = Signal()  # a run or an export began (not the AdaIN preview)
    busy_changed = Signal(bool, bool, bool)  # running, stopping, paused: for Run, Stop and Pause
    estimate_changed = Signal(str, str)  # the Run action's text and tooltip

    def __init__(self, model: DocumentModel, panel: RunPanel, prefs: Preferences, parent: QObject | None = None):
        """`panel`: the run strip it drives, and the parent of its dialogs."""
        super().__init__(parent)
        self.model, self.panel, self.prefs = model, panel, prefs
        self.controller = RunController(self)
        self.instant_enabled = True  # the AdaIN preview when a style is added
        self.instant_size = 384  # its long side
        self.dialog: ExportDialog | None = None  # the export dialog last shown
        self.mode = ""  # "run", "adain", "export"
        self.export_target: tuple[str, int] | None = None
        self.last_settings = None
        self.speed_key = ""  # engine.estimate key of the run in progress
        self.estimate_text = ""  # what a run with the panel's settings is expected to take
        c = self.controller
        c.progress.connect(self._on_progress)
        c.preview.connect(self._on_preview)
        c.finished.connect(self._on_finished)
        c.cancelled.connect(self._on_cancelled)
        c.failed.connect(self._on_failed)
        c.idle.connect(self._sync_actions)
        c.idle.connect(self.show_estimate)  # a finished run has recalibrated the speed
        model.settings_changed.connect(self.show_estimate)
        model.images_changed.connect(self.show_estimate)

    @property
    def doc(self):
        return self.model.doc  # never kept: a loaded session replaces the model's document

    # --- estimates --------------------------------------------------------------
    def content_hw(self):
        doc = self.doc
        return doc.content.rgb.shape[:2] if doc.content is not None else None

    def show_estimate(self) -> None:
        """The expected time of a run with the panel's settings, on the Run action and in the idle strip."""
        try:
            settings = self.model.settings.validate(len(self.doc.styles))
            seconds = estimate.expected_seconds(settings, self.content_hw())
        except (StyleError, ValueError):
            return
        self.estimate_text = f"{estimate.describe(seconds)} at {settings.size} px"
        # the Run button says what it will do, and how long it takes
        self.estimate_changed.emit(
            f"Run ({estimate.describe(seconds)})",
            f"Render {settings.quality} quality at {settings.size} px: {self.estimate_text} on this computer (Ctrl+R)",
        )
        self.panel.show_estimate(self.estimate_text)

    # --- starting ---------------------------------------------------------------
    def current_settings(self, n_styles: int):
        """The document's settings, validated; a dialog and None when they are not valid."""
        try:
            return window_settings(self.model.settings, n_styles)
        except StyleError as exc:
            show_message(self.panel, "Check the settings", window_text(exc))
            return None

    def run(self, settings=None, mode: str = "run", init=None) -> bool:
        doc = self.doc
        if self.controller.is_running():
            if self.mode != "adain":
                return False
            self.controller.shutdown()
        if doc.content is None and not doc.styles:
            show_message(
                self.panel, "Nothing to run", "Open a content image and add a style image first (File ▸ Open)."
            )
            return False
        settings = settings or self.current_settings(len(doc.styles))
        if settings is None or not fits_before_work(self.panel, doc, settings, "run"):
            return False
        content_mask, style_masks = doc.engine_masks()
        task = jobs.style_task(
            doc.content.rgb if doc.content else None,
            [s.rgb for s in doc.styles],
            settings,
            content_mask,
            style_masks,
            init=init,
        )
        self.mode, self.last_settings = mode, settings
        self.panel.begin("Export" if mode == "export" else "Running", self._clock(settings))
        self.controller.start(task)
        self._sync_actions()
        self.run_started.emit()
        return True

    def _clock(self, settings):
        self.speed_key = estimate.current_key(settings)
        return estimate.RunClock(plan_stages(settings), self.content_hw(), estimate.rate(self.speed_key)[0])

    def instant_preview(self) -> None:
        self.show_estimate()
        doc = self.doc
        if not (self.instant_enabled and doc.content and doc.styles):
            return
        if self.controller.is_running():
            return
        device = self.model.settings.device  # resolved in the worker: torch loads there
        self.mode = "adain"
        self.panel.begin("Instant preview")
        self.controller.start(jobs.adain_task(doc.content.rgb, [s.rgb for s in doc.styles], self.instant_size, device))
        self._sync_actions()

    def stop(self) -> None:
        """Says "Stopping…" at once; the run ends within one iteration and keeps its best image."""
        if not self.controller.is_running() or self.controller.is_stopping():
            return
        self.controller.stop()
        if self.mode != "adain":
            self.panel.stopping()
        self._sync_actions()

    def discard(self, agree: Callable[[str], bool]) -> bool:
        """Drop the run or export in progress if `agree("run" or "export")`; False when the user keeps it."""
        if self.controller.is_running() and self.mode != "adain":  # the instant preview is not work to ask about
            if not agree("export" if self.mode == "export" else "run"):
                return False
            self.controller.shutdown()  # its picture is dropped, never delivered to what comes next
            self.panel.end(f"The {self.mode} was discarded.")
        return True

    def toggle_pause(self) -> None:
        if not self.controller.is_running():
            return
        paused = not self.controller.is_paused()
        self.controller.set_paused(paused)
        self.panel.pause(paused)
        self._sync_actions()

    # --- worker signals ---------------------------------------------------------
    def _on_progress(self, progress) -> None:
        # iteration 0: the AdaIN start, a preview only; after Stop the strip keeps saying "Stopping…"
        if self.mode != "adain" and progress.iteration > 0 and not self.controller.is_stopping():
            self.panel.update_progress(progress)

    def _on_preview(self, rgb) -> None:
        self.preview_ready.emit(rgb)

    def _on_finished(self, result) -> None:
        if self.mode == "adain":
            self.image_ready.emit(result, True)
            self.panel.end("Instant preview (AdaIN) ready; press Run for the full picture.")
            return
        self._calibrate()
        if self.mode == "export":
            self._exported(result)
            return
        self._keep(result, f"Done in {format_took(self.panel.busy_seconds())}: {result.iterations} iterations")

    def _on_cancelled(self, result) -> None:
        if self.mode == "adain":
            return
        if self.mode == "export":
            self.export_target = None
            self.panel.end("Export stopped; nothing was written.")
            self.image_ready.emit(self.doc.result, False)
            return
        self._keep(
            result, f"Stopped after {result.iterations} iterations; kept the best image (loss {result.loss:.4g})."
        )

    def _calibrate(self) -> None:
        """A finished run teaches the estimates this machine's speed."""
        clock = self.panel.clock
        if clock is not None and self.speed_key:
            estimate.record_run(self.speed_key, self.panel.busy_seconds(), clock.done_work())

    def _keep(self, result, text: str) -> None:
        doc = self.doc
        doc.result_alpha = doc.content.alpha if doc.content is not None else None
        self.model.set_result(result.image, self.last_settings.to_json() if self.last_settings else None)
        self.panel.end(text)
        self.image_ready.emit(result.image, False)
        self.result_ready.emit()

    def _exported(self, result) -> None:
        """The refined large picture goes to the file; the approved result stays the document's."""
        took, side = format_took(self.panel.busy_seconds()), max(result.image.shape[:2])
        self.panel.end(f"Export refined in {took} ({result.iterations} iterations): {side} px")
        self.image_ready.emit(self.doc.result, False)
        if self.export_target:
            path, bits, replace = self.export_target
            self.export_target = None
            self.write(path, bits, result.image, self.last_settings.to_json() if self.last_settings else None, replace)

    def _on_failed(self, exc) -> None:
        if self.mode == "export":
            self.export_target = None
        self.panel.end("Failed")
        show_failure(self.panel, exc, instant=self.mode == "adain")

    def _sync_actions(self) -> None:
        running = self.controller.is_running() and self.mode != "adain"
        self.busy_changed.emit(running, running and self.controller.is_stopping(), self.controller.is_paused())

    def announce(self) -> None:
        """Say the actions' state and the estimate again, for views that connected late."""
        self._sync_actions()
        self.show_estimate()

    # --- export -----------------------------------------------------------------
    def export_estimate(self, long_side: int) -> str:
        """Plain words for how long an export at `long_side` takes ('' for the size as shown)."""
        return jobs.export_time(self.model.settings, max(self.doc.result.shape[:2]), long_side, self.content_hw())

    def export_dialog(self) -> None:
        doc = self.doc
        if doc.result is None:
            running = self.controller.is_running() and self.mode == "run"
            show_message(self.panel, "Nothing to export yet", NO_RESULT_YET if running else NO_RESULT)
            return
        size = max(doc.result.shape[:2])
        base = Path(doc.content.path).stem if doc.content else "result"
        folder = Path(self.prefs.value("export/folder", str(Path.home())))
        dialog = ExportDialog(
            size, str(folder / f"{base}-styled.png"), self.panel, estimate=self.export_estimate, prefs=self.prefs
        )
        self.dialog = dialog
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        path, bits, long_side = dialog.choice()
        self.export(path, bits, long_side)

    def export(self, path: str, bits: int = 8, long_side: int | None = None) -> bool:
        """Write the result at its size, or refine it at a larger size (a short pass) and write that when done."""
        doc = self.doc
        if doc.result is None or not path:
            return False
        current = max(doc.result.shape[:2])
        if long_side and long_side > current:
            base = self.current_settings(len(doc.styles))
            if base is None:
                return False
            replace = Path(path).exists()
            if replace and not confirm_overwrite(self.panel, path):
                return False  # asked now, not after minutes of work
            self.export_target = (path, bits, replace)
            return self.run(jobs.export_settings(base, long_side, current), mode="export", init=doc.result)
        return self.write(path, bits)

    def write(self, path: str, bits: int, image=None, settings_json: str | None = None, replace: bool = False) -> bool:
        """Save the result (or an export's image); `replace`: the user already agreed to replace the file."""
        doc = self.doc
        image = doc.result if image is None else image
        settings_json = settings_json or doc.result_settings
        if write_result(self.panel, path, image, getattr(doc, "result_alpha", None), bits, settings_json, replace):
            self.prefs.set_value("export/folder", str(Path(path).parent))
            self.exported.emit(path)
            return True
        return False
