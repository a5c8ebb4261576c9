"""Small pure helpers of the window: ETA, number lists, the strength's words, presets."""

import pytest

from engine.errors import StyleError
from engine.presets import PRESETS, choose_preset, matching_preset
from engine.settings import Settings
from gui.editors import parse_list, parse_mapping, strength_text
from gui.run_panel import eta_seconds, format_eta


def test_eta():
    assert eta_seconds(10, 100, 5.0) == pytest.approx(45.0)  # 0.5 s per iteration, 90 to go
    assert eta_seconds(0, 100, 5.0) is None and eta_seconds(100, 100, 9.0) == 0.0
    assert format_eta(45.4) == "0:45" and format_eta(3725) == "1:02:05" and format_eta(None) == "--:--"


def test_number_lists():
    assert parse_list("512, 1024;2048") == [512, 1024, 2048]
    assert parse_list("1, 0.5") == [1, 0.5] and parse_list("  ") == []
    with pytest.raises(StyleError, match="comma-separated"):
        parse_list("1, two")
    assert parse_mapping("relu1_1:1, relu2_1:0.5") == {"relu1_1": 1.0, "relu2_1": 0.5}
    with pytest.raises(StyleError):
        parse_mapping("relu1_1:x")


def test_strength_text():
    assert strength_text(3.0) == "3.0  (style ×1,000 the photo)"
    assert strength_text(1.5) == "1.5  (style ×32 the photo)"
    assert strength_text(-1.0) == "-1.0  (style ×0.1 the photo)"


def test_every_preset_is_valid_and_recognised():
    for name in PRESETS:
        chosen = choose_preset(name, Settings())
        chosen.validate(1)
        assert matching_preset(chosen) == name
    assert choose_preset("default", Settings(style_strength=4.0, device="cpu")) == Settings(device="cpu")


def test_a_preset_after_another_does_not_keep_the_first_ones_values():
    fine_then_strong = choose_preset("strong", choose_preset("fine", Settings()))
    assert fine_then_strong == choose_preset("strong", Settings())
    assert matching_preset(fine_then_strong.replace(tv_weight=0.5)) == "custom"
