"""One editor widget per setting, built from the field's metadata.

The label, the limits, the choices and their readable names all come from
:class:`engine.settings.Settings`'s field metadata, the one place they are
defined; this module only turns them into widgets and reads them back.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QSpinBox,
    QWidget,
)

from engine.errors import StyleError
from engine.settings import INIT_KINDS

QT_INT_MAX = 2**31 - 1
STRENGTH_STEPS = 10  # slider ticks per unit of strength (a decade of style weight)


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


def strength_text(strength: float) -> str:
    """The strength as an artist reads it: how many times the content the style weighs."""
    ratio = 10.0**strength
    shown = f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}"
    return f"{strength:.1f}  (style ×{shown} the photo)"


def label_of(f: dataclasses.Field) -> str:
    return f.metadata.get("label") or f.name.replace("_", " ").capitalize()


class StrengthSlider(QWidget):
    """A log-scale slider for style_strength, with its meaning in words."""

    valueChanged = Signal(float)

    def __init__(self, limits: tuple[float, float], parent: QWidget | None = None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(round(limits[0] * STRENGTH_STEPS), round(limits[1] * STRENGTH_STEPS))
        self.label = QLabel(self)
        self.label.setMinimumWidth(170)
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
        self.label.setText(strength_text(self.value()))

    def _moved(self, ticks: int) -> None:
        self.label.setText(strength_text(ticks / STRENGTH_STEPS))
        self.valueChanged.emit(ticks / STRENGTH_STEPS)


class WheelGuard(QObject):
    """The mouse wheel over the panel scrolls the panel: a spin box, a combo box
    or a slider takes the wheel only once the user has clicked into it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            area = watched.parentWidget()
            while area is not None and not isinstance(area, QAbstractScrollArea):
                area = area.parentWidget()
            if area is not None:  # the scroll area around the panel scrolls instead
                QCoreApplication.sendEvent(area.viewport(), event)
            return True
        return False

    def guard(self, widget: QWidget) -> None:
        for child in [widget, *widget.findChildren(QWidget)]:
            if isinstance(child, (QAbstractSpinBox, QComboBox, QAbstractSlider)):
                child.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone does not focus it
                child.installEventFilter(self)


def narrow_combo(box: QComboBox, chars: int = 14) -> QComboBox:
    """A list as wide as its longest entry where there is room, which may shrink to `chars` characters
    (the open list still shows every entry whole), so the panel fits a narrow dock at 200% scaling."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(chars)
    box.setMinimumWidth(box.minimumSizeHint().width())  # layouts take this over the longest entry's width
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


def _choice_box(values, names: dict, parent: QWidget, editable: bool = False) -> QComboBox:
    box = narrow_combo(QComboBox(parent))
    box.setEditable(editable)
    for value in values:
        box.addItem(names.get(value, str(value)), value)
    return box


def widget_for(f: dataclasses.Field, default, parent: QWidget) -> QWidget:
    """The editor for one field, from its default's type and its metadata."""
    meta = f.metadata
    names = meta.get("names") or {}
    if f.name == "style_strength":
        return StrengthSlider(meta["limits"], parent)
    if isinstance(default, bool):
        return QCheckBox(parent)
    if meta.get("choices"):
        return _choice_box(meta["choices"], names, parent)
    if f.name == "init":  # a named start or an image file's path
        return _choice_box(INIT_KINDS, names, parent, editable=True)
    if isinstance(default, int):
        spin = QSpinBox(parent)
        lo, hi = meta.get("limits", (0, 1_000_000))
        spin.setRange(lo, min(hi, QT_INT_MAX))  # a QSpinBox holds a 32-bit int
        if meta.get("zero"):  # what 0 means, shown instead of the number
            spin.setSpecialValueText(meta["zero"])
        return spin
    if isinstance(default, float):
        spin = QDoubleSpinBox(parent)
        spin.setDecimals(4)
        spin.setRange(*meta.get("limits", (0.0, 1e9)))
        spin.setSingleStep(0.1)
        return spin
    line = QLineEdit(parent)
    if isinstance(default, dict):
        line.setPlaceholderText("name:number, name:number")
    if isinstance(default, list):
        line.setPlaceholderText("comma-separated numbers; empty for the default")
    return line


def connect(editor: QWidget, slot) -> None:
    if isinstance(editor, (StrengthSlider, QSpinBox, QDoubleSpinBox)):
        editor.valueChanged.connect(slot)
    elif isinstance(editor, QCheckBox):
        editor.toggled.connect(slot)
    elif isinstance(editor, QComboBox):
        editor.currentIndexChanged.connect(slot)
        if editor.isEditable():
            editor.editTextChanged.connect(slot)
    elif isinstance(editor, QLineEdit):
        editor.textChanged.connect(slot)


def read(editor: QWidget, default):
    if isinstance(editor, StrengthSlider):
        return editor.value()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        index = editor.findText(editor.currentText())
        if editor.isEditable() and index < 0:
            return editor.currentText()  # a typed value (an image path for init)
        return editor.itemData(index if index >= 0 else editor.currentIndex())
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        return type(default)(editor.value())
    text = editor.text()
    if isinstance(default, dict):
        return parse_mapping(text)
    if isinstance(default, list):
        return parse_list(text)
    return text


def write(editor: QWidget, value) -> None:
    if isinstance(editor, StrengthSlider):
        editor.setValue(float(value))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QComboBox):
        index = editor.findData(value)
        if index >= 0:
            editor.setCurrentIndex(index)
        elif editor.isEditable():
            editor.setEditText(str(value))
    elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        editor.setValue(value)
    elif isinstance(editor, QLineEdit):
        if isinstance(value, dict):
            editor.setText(", ".join(f"{k}:{v:g}" for k, v in value.items()))
        else:
            editor.setText(", ".join(str(v) for v in value) if isinstance(value, list) else str(value))
