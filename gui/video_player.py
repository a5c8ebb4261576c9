"""A small player for a stylised video: Play/Pause and a position slider.

QtMultimedia is not part of PySide6-Essentials, so frames come from PyAV
through a FrameLoader thread and a QTimer at the clip's rate asks for the
next one; a frame that decodes late delays the next (the clip slows down,
it never skips or piles up requests).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider, QVBoxLayout, QWidget

from .qimages import rgb_to_qimage
from .video_dock import frame_text
from .video_frames import FrameLoader


class VideoPlayer(QDialog):
    def __init__(self, source, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("video_player")
        self.setWindowTitle(f"{source.path.name} — Neural Style Studio")
        self.source, self.fps = source, float(source.fps)
        self.shown = -1  # the frame on screen
        self._pixmap: QPixmap | None = None  # at the video's size; scaled to the screen label when shown
        self.screen_label = QLabel(self)
        self.screen_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.screen_label.setMinimumSize(160, 120)
        self.screen_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.play_button = QPushButton("Play", self)
        self.play_button.setObjectName("player_play")
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, max(0, source.count - 1))
        self.slider.valueChanged.connect(self._seek)
        self.time_label = QLabel(frame_text(0, source.count, self.fps), self)
        self._lay_out()
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, round(1000 / self.fps)))
        self.timer.timeout.connect(self._tick)
        self._waiting = False  # a frame was asked for and has not come yet
        self.loader = FrameLoader(source)
        self.loader.frame_ready.connect(self._show)
        self.loader.failed.connect(self._failed)
        self._ask(0)
        self.resize(640, 480)

    def _lay_out(self) -> None:
        col = QVBoxLayout(self)
        col.addWidget(self.screen_label, 1)
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        col.addLayout(row)

    def is_playing(self) -> bool:
        return self.timer.isActive()

    def toggle(self) -> None:
        if self.is_playing():
            self.timer.stop()
        else:
            if self.shown >= self.source.count - 1:  # at the end: play from the start
                self._ask(0)
            self.timer.start()
        self.play_button.setText("Pause" if self.is_playing() else "Play")

    def _tick(self) -> None:
        if self._waiting:
            return
        if self.shown >= self.source.count - 1:
            self.toggle()  # the end: stop there
            return
        self._ask(self.shown + 1)

    def _seek(self, k: int) -> None:
        if k != self.shown:
            self._ask(k)

    def _ask(self, k: int) -> None:
        self._waiting = True
        self.loader.request(k)

    def _show(self, k: int, rgb) -> None:
        self._waiting = False
        self.shown = k
        self._pixmap = QPixmap.fromImage(rgb_to_qimage(rgb))
        self._fit()
        with QSignalBlocker(self.slider):
            self.slider.setValue(k)
        self.time_label.setText(frame_text(k, self.source.count, self.fps))

    def _fit(self) -> None:
        if self._pixmap is not None:
            self.screen_label.setPixmap(
                self._pixmap.scaled(
                    self.screen_label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _failed(self, text: str) -> None:
        self._waiting = False
        self.timer.stop()
        self.play_button.setText("Play")
        self.time_label.setText(text)

    def closeEvent(self, event) -> None:
        """Stop the clock, then the decoding thread (it ends after the frame in hand)."""
        self.timer.stop()
        self.loader.close()
        super().closeEvent(event)

    def done(self, result: int) -> None:  # Esc or the window's close button on a dialog
        self.timer.stop()
        self.loader.close()
        super().done(result)
