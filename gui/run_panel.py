"""The run strip: progress bar with iteration, loss and ETA, and a live loss plot."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

TERM_COLOURS = {
    "content": QColor(0, 130, 200),
    "style": QColor(230, 25, 75),
    "tv": QColor(60, 180, 75),
    "range": QColor(245, 130, 48),
}
MAX_POINTS = 2000


def format_eta(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "--:--"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_took(seconds: float) -> str:
    """'24 s', '3 min 05 s', '1 h 02 min': how long a finished run worked."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, s = divmod(seconds, 60)
    return f"{minutes} min {s:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


BAR_STEPS = 1000
EMPTY_PLOT_TEXT = "The loss of each term is drawn here during a run"


class StatusLine(QLabel):
    """One line that never widens the window: a text too long for it ends in "…", whole in its tooltip."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())
        painter.drawText(self.contentsRect(), int(self.alignment()), shown)


def eta_seconds(done: float, total: float, busy_seconds: float) -> float | None:
    """Remaining time from the average seconds per unit of work so far."""
    if done <= 0 or total <= done:
        return None if done <= 0 else 0.0
    return busy_seconds / done * (total - done)


class LossPlot(QWidget):
    """Each loss term against iteration, log scale, newest run only."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumSize(180, 60)
        self.setToolTip("Loss terms per iteration (log scale), each in the colour of its name")
        self.series: dict[str, list[float]] = {}

    def clear(self) -> None:
        self.series = {}
        self.update()

    def add(self, losses: dict) -> None:
        for name, value in losses.items():
            points = self.series.setdefault(name, [])
            if len(points) < MAX_POINTS:
                points.append(float(value))
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(30, 30, 30))
        values = [v for s in self.series.values() for v in s if v > 0 and math.isfinite(v)]
        if not values:  # an empty dark box reads as a broken widget: say what will be drawn here
            p.setPen(QColor(150, 150, 150))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_PLOT_TEXT)
            return
        top = self._legend(p) + 4  # the curves start below the legend, never under it
        lo, hi = math.log10(min(values)), math.log10(max(values))
        hi = hi if hi > lo else lo + 1
        n = max(len(s) for s in self.series.values())
        w, h = self.width() - 4, self.height() - top - 2
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for name, points in self.series.items():
            path = QPainterPath()
            for i, v in enumerate(points):
                y = math.log10(v) if v > 0 and math.isfinite(v) else lo
                pt = QPointF(2 + w * i / max(1, n - 1), top + h * (1 - (y - lo) / (hi - lo)))
                path.moveTo(pt) if i == 0 else path.lineTo(pt)
            p.setPen(QPen(colour_of(name), 1.5))
            p.drawPath(path)

    def _legend(self, p: QPainter) -> int:
        """Each term's name in its curve's colour, right-aligned on the top line; returns its height."""
        metrics = self.fontMetrics()
        x = self.width() - 4
        for name in reversed(list(self.series)):
            x -= metrics.horizontalAdvance(name)
            p.setPen(colour_of(name))
            p.drawText(x, 2 + metrics.ascent(), name)
            x -= metrics.horizontalAdvance("  ")
        return 2 + metrics.height()


def colour_of(term: str) -> QColor:
    return TERM_COLOURS.get(term, QColor(220, 220, 220))


class RunPanel(QWidget):
    """Shows where a run is; fed by the window's progress slot."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(True)
        self.bar.setFormat("Idle")
        self.status = StatusLine("Ready", self)
        self.expected = QLabel("", self)
        self.expected.setObjectName("expected_time")
        self.expected.setToolTip(
            "Expected time of a run with the current size, quality and device, from this computer's measured speed"
        )
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # elided, never widening
        self.expected.setWordWrap(True)  # the estimate is never cut: in a narrow window it takes two lines
        self.plot = LossPlot(self)
        left = QVBoxLayout()
        left.setSpacing(2)
        for widget in (self.bar, self.status, self.expected):  # a line each: side by side, the estimate got no width
            left.addWidget(widget)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(left, 3)
        layout.addWidget(self.plot, 2)
        self._busy = 0.0
        self._since: float | None = None
        self.clock = None  # engine.estimate.RunClock of the run in progress

    def show_estimate(self, text: str) -> None:
        """What a run with the current settings will take."""
        self.expected.setText(f"Run: {text} on this computer")

    def busy_seconds(self) -> float:
        """Seconds the current run has worked, pauses left out."""
        return self._busy + (time.monotonic() - self._since if self._since is not None else 0.0)

    def begin(self, title: str = "Running", clock=None) -> None:
        self.clock = clock
        self.plot.clear()
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.bar.setFormat(f"{title}: starting…")
        self.status.setText("Loading the network…")
        self._busy, self._since = 0.0, time.monotonic()

    def pause(self, paused: bool) -> None:
        now = time.monotonic()
        if paused and self._since is not None:
            self._busy += now - self._since
            self._since = None
        elif not paused:
            self._since = now
        self.status.setText("Paused: Resume (Ctrl+P) continues where it stopped." if paused else "Resumed")
        if paused:
            self.bar.setFormat("Paused  %p%")

    def stopping(self) -> None:
        self.bar.setFormat("Stopping…")
        self.status.setText("Stopping… the best image so far is kept.")

    def update_progress(self, progress) -> None:
        busy = self.busy_seconds()
        stages = max(1, progress.stages)
        # The engine weighs stages by their work, so a 1024 px pass after a
        # 512 px one does not look like the same time again.
        done, total = progress.fraction * BAR_STEPS, BAR_STEPS
        self.bar.setRange(0, total)
        self.bar.setValue(round(done))
        stage = f" ({progress.stage}, {progress.stage_index + 1}/{stages})" if stages > 1 else ""
        self.bar.setFormat(f"Iteration {progress.iteration}/{progress.total}{stage}  %p%")
        terms = "  ".join(f"{k} {v:.3g}" for k, v in progress.losses.items())
        # The plan and the pace so far; passes may end early when the loss settles.
        eta = (
            self.clock.update(progress.stage_index, progress.iteration, busy)
            if self.clock
            else eta_seconds(done, total, busy)
        )
        # The line stays short enough for a narrow window; the terms are in its tooltip and the plot.
        self.status.setText(f"ETA {format_eta(eta)}   ·   loss {progress.loss:.4g}")
        self.status.setToolTip(f"Loss {progress.loss:.4g}: {terms}")
        self.plot.add(progress.losses)

    def end(self, text: str) -> None:
        self.bar.setFormat(text.split(":")[0].split(";")[0].split(" after")[0])
        if self._since is not None:
            self._busy += time.monotonic() - self._since
        self._since = None
        self.status.setText(text)
