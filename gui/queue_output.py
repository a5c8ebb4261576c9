"""The Queue dock's output folder: where finished jobs go, shown, changed and opened.

The folder is the queue's (batch.queue.JobQueue.output_dir); a folder the user
chooses is remembered in the preferences and used again at the next start.
"Show in folder" opens the folder in the desktop's file manager; "Show file"
opens the folder of the job chosen in the list, once that job has a file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from batch.queue import JobQueue

from .prefs import Preferences
from .wording import in_window_words

PREF_KEY = "queue/output_dir"


def remembered_output_dir(prefs: Preferences | None, default: Path) -> Path:
    """The folder the user chose last time, else `default`."""
    value = prefs.value(PREF_KEY) if prefs is not None else None
    return Path(str(value)) if value else Path(default)


class PathLabel(QLabel):
    """A path that gives way in the middle when the dock is narrow (the tooltip keeps it whole)."""

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("Output folder: …"), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # a long path must not widen the dock
        return QSize(
            min(super().sizeHint().width(), 20 * self.fontMetrics().averageCharWidth()), super().sizeHint().height()
        )

    def paintEvent(self, _event) -> None:
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, self.contentsRect().width())
        QPainter(self).drawText(self.contentsRect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)


class OutputFolder(QWidget):
    """ "Output folder: …" with Change… and Show in folder; Show file for the chosen finished job."""

    opener = staticmethod(QDesktopServices.openUrl)  # tests replace it on the instance
    problem = Signal(str)  # one sentence for the panel's message line

    def __init__(self, queue: JobQueue, prefs: Preferences | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.queue, self.prefs = queue, prefs
        self.job_output: str | None = None
        self.label = PathLabel(self)
        self.label.setObjectName("queue-output-folder")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for key, text, tip, slot in (
            ("change", "Change…", "Choose the folder the queue writes its results into", self.change),
            ("show", "Show in folder", "Open the output folder in the file manager", self.show_folder),
            ("file", "Show file", "Open the folder of the chosen job's result", self.show_file),
        ):
            button = self.buttons[key] = QPushButton(text, self)
            button.setObjectName(f"queue-output-{key}")
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(row)
        queue.subscribe(self._sync)
        self._sync()

    def _sync(self) -> None:
        folder = str(self.queue.output_dir)
        self.label.setText(f"Output folder: {folder}")
        self.label.setToolTip(folder)
        self.buttons["file"].setEnabled(bool(self.job_output) and Path(self.job_output).is_file())

    def set_job_output(self, path: str | None) -> None:
        """The chosen job's result file (None when it has none yet)."""
        self.job_output = path
        self._sync()

    def change(self) -> bool:
        """Ask for a folder; the queue writes there from the next job on, and the choice is remembered."""
        folder = QFileDialog.getExistingDirectory(self, "Folder for the queue's results", str(self.queue.output_dir))
        if not folder:
            return False
        try:
            self.queue.set_output_dir(folder)
        except ValueError as exc:
            self.problem.emit(in_window_words(str(exc)))
            return False
        if self.prefs is not None:
            self.prefs.set_value(PREF_KEY, str(self.queue.output_dir))
        return True

    def show_folder(self) -> None:
        folder = self.queue.output_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)  # nothing written yet: show the empty folder, not an error
        except OSError as exc:
            self.problem.emit(f"The folder {folder} cannot be made ({exc.strerror}): choose another one.")
            return
        self.opener(QUrl.fromLocalFile(str(folder.resolve())))

    def show_file(self) -> None:
        if self.job_output and Path(self.job_output).is_file():
            self.opener(QUrl.fromLocalFile(str(Path(self.job_output).resolve().parent)))
