"""The canvas's coordinate arithmetic, against the formulas written out."""

import pytest

from gui import geometry


def test_image_widget_round_trip():
    zoom, offset = 0.37, (12.5, -40.0)
    wx, wy = geometry.image_to_widget(100, 50, zoom, offset)
    assert (wx, wy) == pytest.approx((100 * 0.37 + 12.5, 50 * 0.37 - 40.0))
    assert geometry.widget_to_image(wx, wy, zoom, offset) == pytest.approx((100, 50))


def test_fit_shrinks_large_images_and_centres_them():
    zoom, (ox, oy) = geometry.fit_view((1000, 500), (516, 416), margin=8)
    assert zoom == pytest.approx(0.5)  # width-limited: 500 / 1000
    assert ox == pytest.approx((516 - 500) / 2)
    assert oy == pytest.approx((416 - 250) / 2)


def test_fit_enlarges_small_images_by_whole_steps():
    zoom, _ = geometry.fit_view((64, 43), (416, 316), margin=8)
    assert zoom == 6.0  # min(400 / 64, 300 / 43) = 6.25, rounded down to a whole zoom


def test_zoom_about_keeps_the_anchor_fixed():
    zoom, offset = 0.5, (10.0, 20.0)
    anchor = (200.0, 120.0)
    before = geometry.widget_to_image(*anchor, zoom, offset)
    new_zoom, new_offset = geometry.zoom_about(zoom, offset, anchor, 2.0)
    assert new_zoom == 1.0
    assert geometry.widget_to_image(*anchor, new_zoom, new_offset) == pytest.approx(before)


def test_zoom_is_clamped():
    assert geometry.zoom_about(geometry.MAX_ZOOM, (0, 0), (0, 0), 10)[0] == geometry.MAX_ZOOM
    assert geometry.clamp_zoom(1e-9) == geometry.MIN_ZOOM


def test_wheel_notch_is_a_quarter():
    assert geometry.wheel_factor(120) == pytest.approx(1.25)
    assert geometry.wheel_factor(-120) == pytest.approx(0.8)


def test_split_line_position():
    assert geometry.split_x(0.25, 2.0, (10.0, 0.0), 400) == pytest.approx(10 + 0.25 * 400 * 2)


def test_the_first_window_size_fits_a_small_screen():
    from gui.geometry import window_size

    assert window_size((1920, 1080)) == (1300, 850)  # room enough: the usual size
    assert window_size((960, 540)) == (883, 496)  # 1920x1080 at 200%: 92% of the free area
