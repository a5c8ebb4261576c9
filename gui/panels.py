"""Option panels built from the engine's Settings dataclass.

Every field of :class:`engine.settings.Settings` gets a widget chosen from
its default's type and its metadata (choices, help, group), so a field the
engine adds shows up here without a change. The two layer dicts share the
layer table; style strength gets a log slider with alpha/beta shown.
"""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QScrollArea, QSlider, QSpinBox, QVBoxLayout, QWidget,
)

from engine.errors import StyleError
from engine.presets import PRESETS as ENGINE_PRESETS
from engine.settings import INIT_KINDS, PAPER_CONTENT_LAYERS, PAPER_STYLE_LAYERS, Settings, option_fields

from .layer_table import LayerTable

INT_RANGES = {"size": (32, 16384), "iterations": (0, 100000), "seed": (0, 2**31 - 1), "preview_every": (0, 10000),
              "lbfgs_history": (1, 1000)}
LAYER_FIELDS = ("content_layers", "style_layers")  # edited together in the layer table
STRENGTH_RANGE = (-2.0, 8.0)
STRENGTH_STEPS = 10  # slider ticks per decade
GROUP_ORDER = ("Output", "Balance", "Layers", "Style", "Colour", "Color", "Optimiser", "Network", "Device")

# Presets are defined once, in the engine; the menu shows their labels.
CUSTOM_ONLY = ("iterations", "scales", "scale_iterations")
PRESETS: dict[str, dict] = {label: changes for label, changes in ENGINE_PRESETS.values()}


def preset_settings(name: str, base: Settings | None = None) -> Settings:
    """The preset applied to the defaults (fields a preset does not name keep their default)."""
    names = {f.name for f in option_fields()}
    changes = {k: v for k, v in PRESETS[name].items() if k in names}
    return Settings().replace(**changes) if base is None else base.replace(**changes)


def parse_list(text: str) -> list:
    """'1, 0.5' -> [1, 0.5]: whole numbers stay ints (scales are pixel sizes)."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        return [int(p) if p.lstrip("-").isdigit() else float(p) for p in parts]
    except ValueError:
        raise StyleError(f"'{text}' is not a comma-separated list of numbers.") from None


def parse_mapping(text: str) -> dict:
    """'a:1, b:0.5' -> {'a': 1.0, 'b': 0.5}."""
    out = {}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        key, _, value = part.partition(":")
        try:
            out[key.strip()] = float(value) if value.strip() else 1.0
        except ValueError:
            raise StyleError(f"'{part}' is not name:number; write entries like relu1_1:1, relu2_1:0.5.") from None
    return out


def alpha_beta_text(strength: float) -> str:
    return f"strength {strength:+.1f}   α/β = 1e{-strength:+.1f}".replace("+", "").replace("1e-", "1e−")


class StrengthSlider(QWidget):
    """A log-scale slider for style_strength, showing alpha/beta."""

    valueChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(int(STRENGTH_RANGE[0] * STRENGTH_STEPS), int(STRENGTH_RANGE[1] * STRENGTH_STEPS))
        self.label = QLabel(self)
        self.label.setMinimumWidth(150)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.slider.valueChanged.connect(self._moved)
        self._moved(self.slider.value())

    def value(self) -> float:
        return self.slider.value() / STRENGTH_STEPS

    def setValue(self, value: float) -> None:
        self.slider.setValue(round(value * STRENGTH_STEPS))
        self.label.setText(alpha_beta_text(self.value()))

    def _moved(self, ticks: int) -> None:
        self.label.setText(alpha_beta_text(ticks / STRENGTH_STEPS))
        self.valueChanged.emit(ticks / STRENGTH_STEPS)


def widget_for(f: dataclasses.Field, default, parent: QWidget) -> QWidget:
    """The editor for one field, from its default's type and metadata."""
    choices = f.metadata.get("choices")
    if f.name == "style_strength":
        return StrengthSlider(parent)
    if isinstance(default, bool):
        return QCheckBox(parent)
    if choices:
        box = QComboBox(parent)
        box.addItems([str(c) for c in choices])
        return box
    if f.name == "init":
        box = QComboBox(parent)
        box.setEditable(True)
        box.addItems(INIT_KINDS)
        return box
    if isinstance(default, int):
        spin = QSpinBox(parent)
        spin.setRange(*INT_RANGES.get(f.name, (0, 1_000_000)))
        if f.metadata.get("zero"):  # what 0 means, shown instead of the number
            spin.setSpecialValueText(f.metadata["zero"])
        return spin
    if isinstance(default, float):
        spin = QDoubleSpinBox(parent)
        spin.setDecimals(4)
        spin.setRange(0.0, 1e9)
        spin.setSingleStep(0.1)
        return spin
    line = QLineEdit(parent)
    if isinstance(default, dict):
        line.setPlaceholderText("name:number, name:number")
    if isinstance(default, list):
        line.setPlaceholderText("comma-separated numbers; empty for the default")
    return line


class OptionsPanel(QScrollArea):
    """All options, one group box per metadata group."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.setWidget(body)
        outer = QVBoxLayout(body)
        self.presets = QComboBox(body)
        self.presets.addItem("Presets…")
        self.presets.addItems(list(PRESETS))
        self.presets.setToolTip("Load a starting point: the paper's settings or a tried combination.")
        self.presets.activated.connect(self._apply_preset)
        outer.addWidget(self.presets)
        self.editors: dict[str, QWidget] = {}
        self.layer_table = LayerTable(body)
        self.layer_table.changed.connect(self.changed)
        defaults = Settings()
        groups: dict[str, list] = {}
        for f in option_fields():
            groups.setdefault(f.metadata.get("group", "Other"), []).append(f)
        order = sorted(groups, key=lambda g: GROUP_ORDER.index(g) if g in GROUP_ORDER else len(GROUP_ORDER))
        self.groups: dict[str, QGroupBox] = {}
        placed = False
        for group in order:
            box = QGroupBox(group, body)
            form = QFormLayout(box)
            for f in groups[group]:
                default = getattr(defaults, f.name)
                if f.name in LAYER_FIELDS:
                    if not placed:
                        form.addRow(self.layer_table)
                        placed = True
                    self.layer_table.setToolTip(f.metadata.get("help", ""))
                    continue
                editor = widget_for(f, default, box)
                editor.setToolTip(f.metadata.get("help", ""))
                editor.setObjectName(f"option_{f.name}")
                self.editors[f.name] = editor
                label = QLabel(f.metadata.get("label") or f.name.replace("_", " ").capitalize(), box)
                label.setToolTip(f.metadata.get("help", ""))
                form.addRow(label, editor)
                _connect(editor, self.changed)
            outer.addWidget(box)
            self.groups[group] = box
        outer.addStretch(1)
        self.editors["quality"].currentTextChanged.connect(self._follow_quality)
        self.set_settings(defaults)
        self._follow_quality(defaults.quality)

    def _follow_quality(self, quality: str) -> None:
        """Iterations and scales count only with quality custom: the presets plan their own passes."""
        for name in CUSTOM_ONLY:
            self.editors[name].setEnabled(quality == "custom")

    def _apply_preset(self, index: int) -> None:
        if index <= 0:
            return
        self.set_settings(preset_settings(self.presets.itemText(index), self.settings(validate=False)))
        self.presets.setCurrentIndex(0)

    def settings(self, validate: bool = True) -> Settings:
        """The Settings the panel shows; StyleError for text that is not a number list."""
        values = {}
        defaults = Settings()
        for f in option_fields():
            default = getattr(defaults, f.name)
            if f.name in LAYER_FIELDS:
                values[f.name] = self.layer_table.layers("content" if f.name == "content_layers" else "style")
                continue
            values[f.name] = _read(self.editors[f.name], default)
        settings = Settings.from_dict(values)
        return settings.validate() if validate else settings

    def set_settings(self, settings: Settings) -> None:
        for name, editor in self.editors.items():
            old = editor.blockSignals(True)
            try:
                _write(editor, getattr(settings, name))
            finally:
                editor.blockSignals(old)
        table_old = self.layer_table.blockSignals(True)
        self.layer_table.set_layers(settings.content_layers, settings.style_layers)
        self.layer_table.blockSignals(table_old)
        self.changed.emit()


def _connect(editor: QWidget, signal) -> None:
    if isinstance(editor, (StrengthSlider, QSpinBox, QDoubleSpinBox)):
        editor.valueChanged.connect(signal)
    elif isinstance(editor, QCheckBox):
        editor.toggled.connect(signal)
    elif isinstance(editor, QComboBox):
        editor.currentTextChanged.connect(signal)
    elif isinstance(editor, QLineEdit):
        editor.textChanged.connect(signal)


def _read(editor: QWidget, default):
    if isinstance(editor, StrengthSlider):
        return editor.value()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        return type(default)(editor.value())
    text = editor.text()
    if isinstance(default, dict):
        return parse_mapping(text)
    if isinstance(default, list):
        return parse_list(text)
    return text


def _write(editor: QWidget, value) -> None:
    if isinstance(editor, StrengthSlider):
        editor.setValue(float(value))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QComboBox):
        index = editor.findText(str(value))
        if index < 0 and editor.isEditable():
            editor.setEditText(str(value))
        elif index >= 0:
            editor.setCurrentIndex(index)
    elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        editor.setValue(value)
    elif isinstance(editor, QLineEdit):
        if isinstance(value, dict):
            editor.setText(", ".join(f"{k}:{v:g}" for k, v in value.items()))
        else:
            editor.setText(", ".join(str(v) for v in value) if isinstance(value, list) else str(value))
