"""The Video dock: the frame slider of the video opened as the content, the
video options (engine VideoOptions, with its defaults), and the Export
Video strip (progress over frames with the ETA, Pause/Resume, Stop) beside a
live view of the frame in hand."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.video.options import VideoOptions

from .qimages import rgb_to_qimage
from .run_panel import format_eta

PREVIEW_BOX = (240, 135)  # the frame in hand is drawn to fit this box (px), its shape kept
OPTION_HELP = {f.name: f.metadata["help"] for f in dataclasses.fields(VideoOptions)}


def frame_text(k: int, count: int, fps: float) -> str:
    """'Frame 3 / 120 · 0:00.08' for 0-based frame k."""
    seconds = k / fps if fps > 0 else 0.0
    minutes, rest = divmod(seconds, 60)
    return f"Frame {k + 1} / {count} · {int(minutes)}:{rest:05.2f}"


class VideoPanel(QWidget):
    frame_chosen = Signal(int)  # the slider moved to frame k (0-based)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.count, self.fps = 0, 25.0
        self._frame_text = ""
        self._live = False  # an export is running, neither paused nor stopping
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("video_frame_slider")
        self.slider.setToolTip("The frame shown as the content; Run and the preview work on it")
        self.slider.valueChanged.connect(self._moved)
        self.frame_label = QLabel("No video", self)
        defaults = VideoOptions()
        self.frame_iterations = QSpinBox(self)
        self.frame_iterations.setRange(1, 1000)
        self.frame_iterations.setValue(defaults.frame_iterations)
        self.frame_iterations.setToolTip(OPTION_HELP["frame_iterations"])
        self.temporal_weight = QDoubleSpinBox(self)
        self.temporal_weight.setRange(0.0, 1000.0)
        self.temporal_weight.setSingleStep(0.25)
        self.temporal_weight.setValue(defaults.temporal_weight)
        self.temporal_weight.setToolTip(OPTION_HELP["temporal_weight"])
        self.export_button, self.play_button = QToolButton(self), QToolButton(self)
        self._build_strip()
        self._lay_out()
        self.show_busy(False, False, False)

    def _build_strip(self) -> None:
        self.bar = QProgressBar(self)
        self.bar.setFormat("Frame %v / %m")
        self.eta_label = QLabel("", self)
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setObjectName("video_pause")
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setObjectName("video_stop")
        self.stop_button.setToolTip("Stop; the frames done are written, and the same export resumes from them")
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QLabel(self)  # the frame in hand, as it improves; the last frame after the export
        self.preview.setObjectName("video_preview")
        self.preview.setFixedSize(*PREVIEW_BOX)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setToolTip("The frame being rendered")
        self.preview.hide()

    def _lay_out(self) -> None:
        row = QHBoxLayout(self)
        col = QVBoxLayout()
        row.addLayout(col, 1)
        row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        top = QHBoxLayout()
        top.addWidget(self.slider, 1)
        top.addWidget(self.frame_label)
        col.addLayout(top)
        options = QHBoxLayout()
        for text, spin in (
            ("Iterations per later frame", self.frame_iterations),
            ("Temporal weight", self.temporal_weight),
        ):
            label = QLabel(text, self)
            label.setBuddy(spin)
            label.setToolTip(spin.toolTip())
            options.addWidget(label)
            options.addWidget(spin)
        options.addStretch(1)
        col.addLayout(options)
        strip = QHBoxLayout()
        for widget in (self.export_button, self.bar, self.pause_button, self.stop_button, self.play_button):
            strip.addWidget(widget, 1 if widget is self.bar else 0)
        strip.addStretch(0)  # takes the room while the bar is hidden
        col.addLayout(strip)
        col.addWidget(self.eta_label)
        col.addWidget(self.status)

    # --- the frame slider ---------------------------------------------------------
    def set_source(self, count: int, fps: float, k: int = 0) -> None:
        """A video of `count` frames, the slider at frame k (nothing asked for: the caller decodes it)."""
        self.count, self.fps = count, fps
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, max(0, count - 1))
            self.slider.setValue(k)
            self.slider.setPageStep(max(1, count // 10))
        self.frame_label.setText(frame_text(k, count, fps))

    def _moved(self, k: int) -> None:
        self.frame_label.setText(frame_text(k, self.count, self.fps))
        self.frame_chosen.emit(k)

    def options(self) -> VideoOptions:
        return VideoOptions(
            temporal_weight=self.temporal_weight.value(), frame_iterations=self.frame_iterations.value()
        )

    # --- the export strip -----------------------------------------------------------
    def begin(self, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self._frame_text = "First frame (the full schedule)"
        self.eta_label.setText(self._frame_text + "…")
        self.status.setText("")

    def show_frame(self, p) -> None:
        """An engine FrameProgress: frame k of N done, and the time left."""
        self.bar.setValue(p.done)
        self._frame_text = f"Frame {p.done} of {p.total} done · {format_eta(p.eta)} left"
        if p.cached:
            self.status.setText(f"Resuming: frame {p.done} was done before.")
        if self._live:
            self.eta_label.setText(self._frame_text)

    def show_iteration(self, p) -> None:
        """An engine Progress of the frame in hand."""
        if self._live:  # not over "Paused" or "Stopping…"
            self.eta_label.setText(f"{self._frame_text} · iteration {p.iteration}/{p.total}")

    def show_preview(self, rgb) -> None:
        """The frame in hand (uint8 H x W x 3), drawn smoothly to fit the preview box."""
        pixmap = QPixmap.fromImage(rgb_to_qimage(rgb)).scaled(
            *PREVIEW_BOX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.preview.setPixmap(pixmap)
        self.preview.show()

    def show_busy(self, running: bool, stopping: bool, paused: bool) -> None:
        self._live = running and not (stopping or paused)
        self.slider.setEnabled(not running)
        self.pause_button.setEnabled(running and not stopping)
        self.stop_button.setEnabled(running and not stopping)
        self.pause_button.setText("Resume" if paused else "Pause")
        self.bar.setVisible(running or self.bar.value() > 0)
        if stopping:
            self.eta_label.setText("Stopping; the frames done are being written…")
        elif paused:
            self.eta_label.setText("Paused")
        elif running:
            self.eta_label.setText(self._frame_text)

    def end(self, text: str) -> None:
        self.eta_label.setText("")
        self.status.setText(text)
