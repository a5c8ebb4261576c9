"""The canvas: one image with zoom, pan, a before/after split and a mask overlay.

Left-drag paints when a paint tool is active (the mask editor listens to the
image-coordinate signals), otherwise it pans; the middle button always
pans. The wheel zooms about the cursor. Below 100% the picture is shrunk by
area averaging (smooth, as photo viewers show it); at 100% and above each
image pixel is a sharp block, so painters can see pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from . import geometry


class Canvas(QWidget):
    """Shows `image`, optionally `before` left of the split line, and an overlay."""

    stroke_started = Signal(float, float)  # image coordinates
    stroke_moved = Signal(float, float)
    stroke_finished = Signal()
    view_changed = Signal()
    split_moved = Signal(float)  # the before/after line was dragged to this fraction of the width

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAcceptDrops(False)  # the main window takes drops
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pixmap: QPixmap | None = None
        self._before: QPixmap | None = None
        self._overlay: QPixmap | None = None
        self.split: float | None = None
        self.zoom = 1.0
        self.offset = (0.0, 0.0)
        self._fitted = True
        self.paint_mode = False
        self.brush_radius = 0.0  # image pixels, for the cursor ring
        self._drag: str | None = None
        self._last = QPointF()
        self._cursor = QPointF(-1, -1)
        self._shrunk: dict[str, tuple[tuple[int, int, int], QPixmap]] = {}  # layer -> (key, smoothly shrunk copy)

    # --- content --------------------------------------------------------------
    def set_image(self, image: QImage | None, keep_view: bool = True) -> None:
        old = self.image_size()
        self._pixmap = QPixmap.fromImage(image) if image is not None and not image.isNull() else None
        if not keep_view or old != self.image_size() or self._fitted:
            self.fit()
        self.update()

    def set_before(self, image: QImage | None) -> None:
        self._before = QPixmap.fromImage(image) if image is not None else None
        self.update()

    def set_overlay(self, image: QImage | None) -> None:
        self._overlay = QPixmap.fromImage(image) if image is not None else None
        self.update()

    def set_split(self, split: float | None) -> None:
        self.split = split
        self.update()

    def image_size(self) -> tuple[int, int]:
        return (self._pixmap.width(), self._pixmap.height()) if self._pixmap else (0, 0)

    # --- view -----------------------------------------------------------------
    def fit(self) -> None:
        if self._pixmap:
            self.zoom, self.offset = geometry.fit_view(self.image_size(), (self.width(), self.height()))
        self._fitted = True
        self.update()
        self.view_changed.emit()

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def set_zoom(self, zoom: float, anchor: tuple[float, float] | None = None) -> None:
        anchor = anchor or (self.width() / 2, self.height() / 2)
        self.zoom, self.offset = geometry.zoom_about(self.zoom, self.offset, anchor, zoom / self.zoom)
        self._fitted = False
        self.update()
        self.view_changed.emit()

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom * factor)

    def image_to_widget(self, x: float, y: float) -> QPointF:
        return QPointF(*geometry.image_to_widget(x, y, self.zoom, self.offset))

    def widget_to_image(self, p: QPointF) -> tuple[float, float]:
        return geometry.widget_to_image(p.x(), p.y(), self.zoom, self.offset)

    # --- events ---------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        if self._fitted:
            self.fit()
        super().resizeEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self._pixmap:
            return
        pos = event.position()
        self.set_zoom(self.zoom * geometry.wheel_factor(event.angleDelta().y()), (pos.x(), pos.y()))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self._last = pos
        if event.button() == Qt.MouseButton.LeftButton and self.paint_mode and self._pixmap:
            self._drag = "paint"
            x, y = self.widget_to_image(pos)
            self.stroke_started.emit(x, y)
        elif event.button() == Qt.MouseButton.LeftButton and self._near_split(pos.x()):
            self._drag = "split"
        elif event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            self._drag = "pan"
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self._cursor = pos
        if self._drag == "paint":
            self.stroke_moved.emit(*self.widget_to_image(pos))
        elif self._drag == "split":
            w = self.image_size()[0] * self.zoom
            self.split_moved.emit(min(1.0, max(0.0, (pos.x() - self.offset[0]) / w)) if w else 0.5)
        elif self._drag == "pan":
            d = pos - self._last
            self.offset = (self.offset[0] + d.x(), self.offset[1] + d.y())
            self._fitted = False
            self.view_changed.emit()
        self._last = pos
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag == "paint":
            self.stroke_finished.emit()
        self._drag = None
        self.unsetCursor()
        event.accept()

    def _near_split(self, x: float) -> bool:
        if self.split is None or self._before is None or not self._pixmap:
            return False
        return abs(x - geometry.split_x(self.split, self.zoom, self.offset, self.image_size()[0])) <= 6

    def leaveEvent(self, event) -> None:
        self._cursor = QPointF(-1, -1)
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().color(self.backgroundRole()).darker(115))
        if not self._pixmap:
            p.setPen(self.palette().color(self.foregroundRole()))
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "Drop a content image and style images here,\nor use File ▸ Open.",
            )
            return
        w, h = self.image_size()
        target = QRectF(*geometry.image_to_widget(0, 0, self.zoom, self.offset), w * self.zoom, h * self.zoom)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.zoom < 1)  # pixel-exact at 100% and above
        self._draw(p, "image", target, self._pixmap)
        if self._before is not None and self.split is not None:
            sx = geometry.split_x(self.split, self.zoom, self.offset, w)
            p.save()
            p.setClipRect(QRectF(target.left(), target.top(), sx - target.left(), target.height()))
            self._draw(p, "before", target, self._before)
            p.restore()
            p.setPen(QPen(QColor(255, 255, 255), 2))
            p.drawLine(QPointF(sx, target.top()), QPointF(sx, target.bottom()))
        if self._overlay is not None:
            self._draw(p, "overlay", target, self._overlay)  # its alpha carries the mask opacity
        if self.paint_mode and self._cursor.x() >= 0 and self.brush_radius > 0:
            r = self.brush_radius * self.zoom
            p.setPen(QPen(QColor(255, 255, 255), 1, Qt.PenStyle.DashLine))
            p.drawEllipse(self._cursor, r, r)

    def _draw(self, p: QPainter, layer: str, target: QRectF, pixmap: QPixmap) -> None:
        """Draw `pixmap` into `target`: shrunk by area averaging below 100% (a bilinear sample alone
        picks 2x2 pixels and shimmers or looks pixelated), nearest neighbour at 100% and above."""
        if self.zoom < 1:
            pixmap = self._shrink(layer, pixmap, shrunk_size(target, self.devicePixelRatioF()))
        p.drawPixmap(target, pixmap, QRectF(pixmap.rect()))

    def _shrink(self, layer: str, pixmap: QPixmap, size: QSize) -> QPixmap:
        key = (pixmap.cacheKey(), size.width(), size.height())
        cached = self._shrunk.get(layer)
        if cached is None or cached[0] != key:
            small = pixmap.scaled(
                size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            cached = self._shrunk[layer] = (key, small)
        return cached[1]


def shrunk_size(target: QRectF, device_pixel_ratio: float) -> QSize:
    """The device-pixel size a picture drawn into `target` is shrunk to (at least 1x1)."""
    return QSize(
        max(1, round(target.width() * device_pixel_ratio)), max(1, round(target.height() * device_pixel_ratio))
    )
