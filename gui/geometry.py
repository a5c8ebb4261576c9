"""Canvas geometry: widget <-> image coordinates, fitting and zooming.

Pure functions, so the canvas's arithmetic is unit-tested without a window.
A view is ``(zoom, (ox, oy))``: a widget point is ``image * zoom + offset``.
"""

from __future__ import annotations

MIN_ZOOM = 1 / 64
MAX_ZOOM = 64.0
WINDOW_SIZE = (1300, 850)  # the window's first size, when the screen has room for it


def window_size(
    available: tuple[int, int], wanted: tuple[int, int] = WINDOW_SIZE, share: float = 0.92
) -> tuple[int, int]:
    """The window's first size: `wanted`, or `share` of the screen's free area where that is smaller
    (a 1920x1080 screen at 200% scaling has 960x540 logical pixels)."""
    return min(wanted[0], int(available[0] * share)), min(wanted[1], int(available[1] * share))


def image_to_widget(x: float, y: float, zoom: float, offset: tuple[float, float]) -> tuple[float, float]:
    return x * zoom + offset[0], y * zoom + offset[1]


def widget_to_image(x: float, y: float, zoom: float, offset: tuple[float, float]) -> tuple[float, float]:
    return (x - offset[0]) / zoom, (y - offset[1]) / zoom


def fit_view(
    image_wh: tuple[int, int], widget_wh: tuple[int, int], margin: int = 8
) -> tuple[float, tuple[float, float]]:
    """The zoom and offset that show the whole image centred.

    Large images shrink to fit; images smaller than the widget are shown at
    the largest whole zoom that fits, so a 64 px result is not a postage stamp
    and its pixels stay crisp.
    """
    iw, ih = image_wh
    ww, wh = max(1, widget_wh[0] - 2 * margin), max(1, widget_wh[1] - 2 * margin)
    if iw <= 0 or ih <= 0:
        return 1.0, (0.0, 0.0)
    zoom = min(ww / iw, wh / ih)
    if zoom >= 1:
        zoom = float(max(1, int(zoom)))
    zoom = clamp_zoom(zoom)
    return zoom, centre_offset(image_wh, widget_wh, zoom)


def centre_offset(image_wh: tuple[int, int], widget_wh: tuple[int, int], zoom: float) -> tuple[float, float]:
    return (widget_wh[0] - image_wh[0] * zoom) / 2, (widget_wh[1] - image_wh[1] * zoom) / 2


def clamp_zoom(zoom: float) -> float:
    return min(MAX_ZOOM, max(MIN_ZOOM, zoom))


def zoom_about(
    zoom: float, offset: tuple[float, float], anchor: tuple[float, float], factor: float
) -> tuple[float, tuple[float, float]]:
    """Zoom by `factor` keeping the image point under the widget point `anchor` fixed."""
    new = clamp_zoom(zoom * factor)
    ix, iy = widget_to_image(anchor[0], anchor[1], zoom, offset)
    return new, (anchor[0] - ix * new, anchor[1] - iy * new)


def wheel_factor(angle_delta_y: int) -> float:
    """One notch (120) zooms by 1.25; trackpads send smaller deltas."""
    return 1.25 ** (angle_delta_y / 120.0)


def split_x(split: float, zoom: float, offset: tuple[float, float], image_w: int) -> float:
    """Widget x of the before/after split line at fraction `split` of the image width."""
    return offset[0] + split * image_w * zoom
