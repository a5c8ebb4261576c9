"""Small pure helpers of the window: ETA, number lists, alpha/beta text, presets."""
import pytest

from engine.errors import StyleError
from engine.settings import Settings
from gui.panels import PRESETS, alpha_beta_text, parse_list, parse_mapping, preset_settings
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


def test_alpha_beta_text():
    assert alpha_beta_text(3.0) == "strength 3.0   α/β = 1e−3.0"
    assert alpha_beta_text(-1.0).endswith("α/β = 1e1.0")


def test_every_preset_is_valid():
    for name in PRESETS:
        preset_settings(name).validate(1)
    assert preset_settings("Balanced (engine defaults)") == Settings()
