"""The window at 125% and 200% scaling on a 1920x1080 screen, and the dark theme's contrast.

Each scale factor needs a process of its own (Qt reads it once, at start), so
tests/gui/window_probe.py builds the real window there and reports what it
finds; the offscreen platform is given a 1920x1080 screen, which at 200% has
960x540 logical pixels."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette

from gui import theme
from gui.panels import INVALID_STYLE

PROBE = Path(__file__).with_name("window_probe.py")
SCREEN = {
    "screens": [
        {
            "name": "Laptop",
            "x": 0,
            "y": 0,
            "width": 1920,
            "height": 1080,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
    ]
}


def probe(tmp_path, scale: str, view: str) -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(SCREEN))
    env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    state = tmp_path / "state"
    state.mkdir()
    proc = subprocess.run(
        [sys.executable, str(PROBE), str(state), view], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scale", ["1.25", "2"])
@pytest.mark.parametrize("view", ["basic", "advanced"])
def test_nothing_is_cut_and_the_window_fits_the_screen(tmp_path, scale, view):
    report = probe(tmp_path, scale, view)
    assert report["scale"] == float(scale)
    screen, size, minimum = report["screen"], report["size"], report["minimum"]
    assert size[0] <= screen[0] and size[1] <= screen[1], report
    assert minimum[0] <= screen[0] and minimum[1] <= screen[1], report
    for part in ("options", "options_entries", "queue", "mask_editor", "run_strip"):
        assert report[part] == [], f"{part} at {scale}x ({view}): {report[part]}"
    assert not report["options_scrolls_sideways"]


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        lin = [(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4) for v in (c.redF(), c.greenF(), c.blueF())]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


R = QPalette.ColorRole
PAIRS = [
    (R.WindowText, R.Window),
    (R.Text, R.Base),
    (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button),
    (R.ToolTipText, R.ToolTipBase),
    (R.HighlightedText, R.Highlight),
    (R.PlaceholderText, R.Base),
    (R.Link, R.Base),
    (R.BrightText, R.Base),
]


def test_the_dark_theme_is_readable(qapp):
    palette = theme.dark_palette()
    low = {f"{fg.name} on {bg.name}": round(contrast(palette.color(fg), palette.color(bg)), 2) for fg, bg in PAIRS}
    assert {k: v for k, v in low.items() if v < 4.5} == {}
    assert palette.color(R.Window).lightness() < 80  # dark indeed


def test_a_refused_value_stays_readable_in_either_theme():
    background, text = re.search(r"background: (#\w+); color: (#\w+)", INVALID_STYLE).groups()
    assert contrast(QColor(text), QColor(background)) >= 4.5
