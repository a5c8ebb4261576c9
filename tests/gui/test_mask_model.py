"""The mask model without a window: brush, eraser, fill, undo/redo, PNG round trip."""

import numpy as np
import pytest

from gui.mask_model import RegionMask, brush_alpha, labels_from_colours, stroke_points
from gui.palette import REGION_COLOURS, colour_table


def test_hard_brush_is_a_disc():
    m = RegionMask(50, 40)
    m.dab(20.0, 20.0, 5, 1.0, 3)
    yy, xx = np.mgrid[0:40, 0:50]
    disc = np.hypot(xx + 0.5 - 20, yy + 0.5 - 20) <= 5
    assert np.array_equal(m.hard_labels() == 3, disc)


def test_soft_brush_falls_off():
    *_, alpha = brush_alpha((100, 100), 50, 50, 10, 0.0)
    assert alpha.max() == pytest.approx(1.0, abs=0.1)
    assert alpha[0, 0] == 0.0  # a corner of the box is outside the radius
    m = RegionMask(100, 100)
    m.dab(50, 50, 10, 0.0, 1)
    assert m.cover[50, 50] > 200 and 0 < m.cover[50, 57] < 128  # soft edge below the hard threshold
    assert m.hard_labels()[50, 57] == 0


def test_painting_over_takes_pixels_and_eraser_clears():
    m = RegionMask(40, 40)
    m.dab(20, 20, 8, 1.0, 1)
    m.dab(20, 20, 3, 1.0, 2)
    assert m.hard_labels()[20, 20] == 2 and m.hard_labels()[20, 26] == 1
    m.dab(20, 20, 8, 1.0, 0)
    assert not m.hard_labels().any()


def test_stroke_leaves_no_gaps():
    m = RegionMask(200, 20)
    m.stroke((5, 10), (195, 10), 3, 1.0, 1)
    assert (m.hard_labels()[10, 5:195] == 1).all()
    assert len(stroke_points((0, 0), (100, 0), 4)) == 100


def test_fill_stays_inside_its_area():
    m = RegionMask(30, 30)
    m.label[:, 15] = 1
    m.cover[:, 15] = 255  # a wall down the middle
    m.fill(3, 3, 2)
    hard = m.hard_labels()
    assert (hard[:, :15] == 2).all() and (hard[:, 16:] == 0).all() and (hard[:, 15] == 1).all()


def test_undo_redo():
    m = RegionMask(20, 20)
    m.checkpoint()
    m.dab(10, 10, 4, 1.0, 1)
    painted = m.hard_labels().copy()
    assert m.undo() and not m.hard_labels().any()
    assert m.redo() and np.array_equal(m.hard_labels(), painted)
    assert not m.redo()


def test_png_round_trip(tmp_path):
    m = RegionMask(64, 48)
    m.dab(10, 10, 6, 1.0, 1)
    m.dab(40, 30, 6, 1.0, 4)
    m.save_png(tmp_path / "mask.png")
    n = RegionMask(64, 48)
    n.load_png(tmp_path / "mask.png")
    assert np.array_equal(n.hard_labels(), m.hard_labels())
    assert tuple(m.label_image()[10, 10]) == REGION_COLOURS[0]


def test_near_colours_map_to_the_nearest_region():
    rgb = np.array([[[228, 30, 70], [3, 2, 1]]], dtype=np.int32)
    label, cover = labels_from_colours(rgb)
    assert label.tolist() == [[1, 0]] and cover.tolist() == [[255, 0]]


def test_soft_regions_weigh_by_cover_and_black_takes_the_rest():
    m = RegionMask(40, 30)
    m.dab(12, 15, 8, 0.3, 1)  # soft
    m.dab(30, 15, 5, 1.0, 2)  # hard
    colours, masks = m.soft_regions()
    assert colours[0] == (0, 0, 0) and colours[1:] == [tuple(int(v) for v in c) for c in colour_table()[[1, 2]]]
    np.testing.assert_allclose(masks.sum(0), 1.0, atol=1e-6)
    region1 = masks[1]
    assert region1.max() == 1.0 and ((region1 > 0.05) & (region1 < 0.95)).sum() > 10  # a soft edge, not a cut
    np.testing.assert_array_equal(masks[2], (m.label == 2) * m.cover / 255.0)


def test_a_fully_painted_mask_has_no_black_region_even_with_soft_edges():
    m = RegionMask(30, 20)
    m.fill(0, 0, 4)
    m.cover[5:10, 5:10] = 180  # painted softly, but firmly enough to count as region 4
    colours, masks = m.soft_regions()
    assert colours == [tuple(int(v) for v in colour_table()[4])]
    assert masks[0, 7, 7] == pytest.approx(180 / 255) and masks[0, 0, 0] == 1.0  # no style is asked for black
