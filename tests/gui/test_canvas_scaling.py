"""A result shown smaller than 100% is drawn smoothly (averaged), at 100% and above pixel-exact."""

import numpy as np
import pytest
from PySide6.QtGui import QImage

from gui.canvas import Canvas
from gui.qimages import rgb_to_qimage


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """A grabbed QImage as uint8 (H, W, 3), to read the pixels the canvas drew."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)[:, : 3 * w].reshape(h, w, 3).copy()


def checkerboard(n: int = 128) -> np.ndarray:
    """1-px black/white checkerboard, uint8 (n, n, 3)."""
    yy, xx = np.mgrid[:n, :n]
    return np.repeat((((xx + yy) % 2) * 255).astype(np.uint8)[..., None], 3, axis=2)


@pytest.fixture
def canvas(qtbot):
    c = Canvas()
    qtbot.addWidget(c)
    c.resize(400, 300)
    c.show()
    qtbot.waitExposed(c)
    c.set_image(rgb_to_qimage(checkerboard()))
    return c


def shown(canvas) -> np.ndarray:
    """The image's part of the rendered widget, grey levels (H, W), cropped 2 px inside its edges."""
    grab = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    grab.setDevicePixelRatio(1.0)
    rgb = qimage_to_rgb(grab).astype(np.float32)
    dpr = canvas.devicePixelRatioF()
    w, h = canvas.image_size()
    x0, y0 = (int(np.ceil(v * dpr)) + 2 for v in canvas.offset)
    x1, y1 = int((canvas.offset[0] + w * canvas.zoom) * dpr) - 2, int((canvas.offset[1] + h * canvas.zoom) * dpr) - 2
    return rgb[y0:y1, x0:x1].mean(axis=2)


@pytest.mark.parametrize("offset", [(0.0, 0.0), (0.3, 0.6)])  # whole and fractional positions
def test_half_size_is_averaged_grey_not_black_and_white(canvas, offset):
    canvas.set_zoom(0.5)
    canvas.offset = (np.floor(canvas.offset[0]) + offset[0], np.floor(canvas.offset[1]) + offset[1])
    px = shown(canvas)
    assert px.size > 1000
    assert np.abs(px - 127.5).max() < 24  # every pixel a mix of black and white


def test_quarter_size_is_averaged_too(canvas):
    canvas.set_zoom(0.25)
    px = shown(canvas)
    assert px.size > 200 and np.abs(px - 127.5).max() < 24


def test_double_size_keeps_crisp_blocks(canvas):
    canvas.set_zoom(2.0)
    canvas.offset = (float(round(canvas.offset[0])), float(round(canvas.offset[1])))
    px = shown(canvas)
    assert px.size > 1000
    assert set(np.unique(px)) <= {0.0, 255.0}  # no blended pixel anywhere
    x0, y0 = (int(v) for v in canvas.offset)
    grab = qimage_to_rgb(canvas.grab().toImage())[..., 0]
    block = grab[y0 + 10 : y0 + 12, x0 + 10 : x0 + 12]  # image pixel (5, 5): one 2x2 block of one value
    assert (block == block[0, 0]).all() and block[0, 0] in (0, 255)
    assert grab[y0 + 10, x0 + 12] != block[0, 0]  # its neighbour is the other colour


def test_actual_size_is_pixel_exact(canvas):
    canvas.set_zoom(1.0)
    canvas.offset = (float(round(canvas.offset[0])), float(round(canvas.offset[1])))
    x0, y0 = (int(v) for v in canvas.offset)
    grab = qimage_to_rgb(canvas.grab().toImage())
    assert np.array_equal(grab[y0 : y0 + 128, x0 : x0 + 128], checkerboard())
