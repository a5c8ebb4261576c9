"""Run, Stop, Pause/Resume, the AdaIN instant preview and export, for the main window.

All slots run on the GUI thread; the worker only sends objects. A new run is
never started from a finished-handler: export-after-run writes the file,
nothing more.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from engine.device import pick_device
from engine.errors import StyleError

from . import jobs
from .dialogs import error_sentence, show_message
from .export import ExportDialog, write_result


class Runner(QObject):
    """Owns the RunController for a MainWindow and keeps its buttons in step."""

    result_ready = Signal()  # a run (or the export run) produced a new result
    exported = Signal(str)  # path written

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        from .worker import RunController

        self.controller = RunController(self)
        self.mode = ""  # "run", "adain", "export"
        self.export_target: tuple[str, int] | None = None
        self.last_settings = None
        c = self.controller
        c.progress.connect(self._on_progress)
        c.preview.connect(self._on_preview)
        c.finished.connect(self._on_finished)
        c.cancelled.connect(self._on_cancelled)
        c.failed.connect(self._on_failed)
        c.idle.connect(self._sync_actions)

    # --- starting ---------------------------------------------------------------
    def current_settings(self, n_styles: int):
        """The panel's settings, validated; a dialog and None when they are not valid."""
        try:
            return self.w.options.settings().validate(n_styles)
        except StyleError as exc:
            show_message(self.w, "Check the settings", str(exc))
            return None

    def run(self, settings=None, mode: str = "run", init=None) -> bool:
        doc = self.w.doc
        if self.controller.is_running():
            if self.mode != "adain":
                return False
            self.controller.shutdown()
        if doc.content is None and not doc.styles:
            show_message(self.w, "Nothing to run", "Open a content image and add a style image first (File ▸ Open).")
            return False
        settings = settings or self.current_settings(len(doc.styles))
        if settings is None:
            return False
        content_mask, style_masks = doc.engine_masks()
        task = jobs.style_task(doc.content.rgb if doc.content else None, [s.rgb for s in doc.styles], settings,
                               content_mask, style_masks, init=init)
        self.mode, self.last_settings = mode, settings
        self.w.run_panel.begin("Export" if mode == "export" else "Running")
        self.controller.start(task)
        self._sync_actions()
        self.w.show_key("result")
        return True

    def instant_preview(self) -> None:
        doc = self.w.doc
        if not (self.w.instant_preview_enabled and doc.content and doc.styles):
            return
        if self.controller.is_running():
            return
        try:
            device = str(pick_device(self.w.options.settings().device))
        except StyleError:
            device = "cpu"
        self.mode = "adain"
        self.w.run_panel.begin("Instant preview")
        self.controller.start(jobs.adain_task(doc.content.rgb, [s.rgb for s in doc.styles], self.w.instant_size, device))
        self._sync_actions()

    def stop(self) -> None:
        self.controller.stop()

    def toggle_pause(self) -> None:
        if not self.controller.is_running():
            return
        paused = not self.controller.is_paused()
        self.controller.set_paused(paused)
        self.w.run_panel.pause(paused)
        self._sync_actions()

    # --- worker signals ---------------------------------------------------------
    def _on_progress(self, progress) -> None:
        if self.mode != "adain":
            self.w.run_panel.update_progress(progress)

    def _on_preview(self, rgb) -> None:
        self.w.show_result_image(rgb)

    def _on_finished(self, result) -> None:
        if self.mode == "adain":
            self.w.show_result_image(result, instant=True)
            self.w.run_panel.end("Instant preview (AdaIN) ready; press Run for the full optimisation.")
            return
        self._keep(result, f"Done: {result.iterations} iterations, loss {result.loss:.4g}")

    def _on_cancelled(self, result) -> None:
        if self.mode == "adain":
            return
        self._keep(result, f"Stopped after {result.iterations} iterations; kept the best image (loss {result.loss:.4g}).")

    def _keep(self, result, text: str) -> None:
        doc = self.w.doc
        doc.result = result.image
        doc.result_alpha = doc.content.alpha if doc.content is not None else None
        doc.result_settings = self.last_settings.to_json() if self.last_settings else None
        self.w.sessions.mark_dirty()  # the autosave keeps the result too
        self.w.run_panel.end(text)
        self.w.show_result_image(result.image)
        self.result_ready.emit()
        if self.mode == "export" and self.export_target and not result.cancelled:
            path, bits = self.export_target
            self.export_target = None
            self.write(path, bits)

    def _on_failed(self, exc) -> None:
        self.w.run_panel.end("Failed")
        if self.mode == "adain":
            return  # the preview is a convenience; the real run reports problems
        show_message(self.w, "The run failed", error_sentence(exc), QMessageBox.Icon.Critical)

    def _sync_actions(self) -> None:
        running = self.controller.is_running() and self.mode != "adain"
        a = self.w.acts
        a["run"].setEnabled(not running)
        a["stop"].setEnabled(running)
        a["pause"].setEnabled(running)
        a["pause"].setText("Resume" if self.controller.is_paused() else "Pause")

    # --- export -----------------------------------------------------------------
    def export_dialog(self) -> None:
        doc = self.w.doc
        if doc.result is None:
            show_message(self.w, "Nothing to export", "Run the style transfer first; then export the result.")
            return
        size = max(doc.result.shape[:2])
        base = Path(doc.content.path).stem if doc.content else "result"
        folder = Path(self.w.prefs.value("export/folder", str(Path.home())))
        dialog = ExportDialog(size, str(folder / f"{base}-styled.png"), self.w)
        self.w.export_dialog = dialog
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        path, bits, long_side = dialog.choice()
        self.export(path, bits, long_side)

    def export(self, path: str, bits: int = 8, long_side: int | None = None) -> bool:
        """Write the result at its size, or start a larger coarse-to-fine run that writes when done."""
        doc = self.w.doc
        if doc.result is None or not path:
            return False
        current = max(doc.result.shape[:2])
        if long_side and long_side > current:
            base = self.current_settings(len(doc.styles))
            if base is None:
                return False
            self.export_target = (path, bits)
            return self.run(jobs.export_settings(base, long_side, current), mode="export", init=doc.result)
        return self.write(path, bits)

    def write(self, path: str, bits: int) -> bool:
        doc = self.w.doc
        if write_result(self.w, path, doc.result, getattr(doc, "result_alpha", None), bits, doc.result_settings):
            self.w.prefs.set_value("export/folder", str(Path(path).parent))
            self.w.statusBar().showMessage(f"Exported {path}", 5000)
            self.exported.emit(path)
            return True
        return False
