"""The options panel: a view of the document model's settings.

Every field of :class:`engine.settings.Settings` gets an editor built from its
metadata (gui/editors.py), so a field the engine adds shows up here without a
change. The Basic view shows what an artist decides (fields marked
``level="basic"``); Advanced adds the rest, grouped as the metadata says.
Edits go to the model; the panel follows the model's ``settings_changed``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from engine.errors import StyleError
from engine.presets import CUSTOM, PRESETS, choose_preset
from engine.settings import Settings, option_fields

from . import editors
from .dialogs import window_text
from .layer_table import LayerTable

LAYER_FIELDS = ("content_layers", "style_layers")  # edited together in the layer table
CUSTOM_ONLY = ("iterations", "scales", "scale_iterations")  # count only with quality custom
BASIC_GROUP = "Picture"
INVALID_STYLE = "QLineEdit { background: #f6d5d5; color: #1a1a1a; }"  # readable in the dark theme too
FIELD_HELP = {f.name: f.metadata.get("help", "") for f in option_fields()}


class OptionsPanel(QScrollArea):
    """Basic and Advanced options of the model's settings."""

    advanced_toggled = Signal(bool)

    def __init__(self, model, parent: QWidget | None = None, advanced: bool = False):
        super().__init__(parent)
        self.model = model
        self._editing = False
        self._marked: frozenset[str] = frozenset()  # the editors tinted as invalid
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.addLayout(self._top_row(body))
        self.editors: dict[str, QWidget] = {}
        self.groups: dict[str, QGroupBox] = {}
        self.layer_table = LayerTable(body)
        self.layer_table.changed.connect(self._edited)
        self._build_groups(body, outer)
        outer.addStretch(1)
        self.wheel_guard = editors.WheelGuard(self)
        self.wheel_guard.guard(body)
        model.settings_changed.connect(self._show)
        self._show(model.settings)
        self.advanced.setChecked(advanced)
        self._set_advanced(advanced)
        # Wide enough for the Basic form beside a scroll bar; wider fields in Advanced scroll sideways.
        self.setMinimumWidth(body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 4)

    def _top_row(self, body: QWidget) -> QVBoxLayout:
        self.presets = editors.narrow_combo(QComboBox(body))
        self.presets.setObjectName("presets")
        for name, (label, _changes) in PRESETS.items():
            self.presets.addItem(label, name)
        self.presets.addItem("Custom", CUSTOM)
        self.presets.setToolTip("A starting point; editing any value below makes it Custom.")
        self.presets.activated.connect(self._preset_chosen)
        self.reset = QPushButton("Reset", body)
        self.reset.setObjectName("reset_defaults")
        self.reset.setToolTip("Reset every option to its default")
        self.reset.clicked.connect(lambda: self.model.set_settings(Settings()))
        self.advanced = QCheckBox("Advanced", body)
        self.advanced.setObjectName("advanced")
        self.advanced.setToolTip("Show the layers, the optimiser, the network and the device options too")
        self.advanced.toggled.connect(self._set_advanced)
        top, buttons = QHBoxLayout(), QHBoxLayout()  # two rows: narrow enough for a dock at 200% scaling
        top.addWidget(QLabel("Preset", body))
        top.addWidget(self.presets, 1)
        buttons.addWidget(self.advanced)
        buttons.addStretch(1)
        buttons.addWidget(self.reset)
        rows = QVBoxLayout()
        rows.addLayout(top)
        rows.addLayout(buttons)
        return rows

    def _build_groups(self, body: QWidget, outer: QVBoxLayout) -> None:
        defaults = Settings()
        groups: dict[str, list] = {BASIC_GROUP: []}
        for f in option_fields():
            name = BASIC_GROUP if f.metadata.get("level") == "basic" else f.metadata.get("group", "Other")
            groups.setdefault(name, []).append(f)
        for group, fields in groups.items():
            box = QGroupBox(group, body)
            box.setObjectName(f"group_{group}")
            form = QFormLayout(box)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow docks (200% scaling): label above
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)  # lists fill the width
            for f in fields:
                if f.name in LAYER_FIELDS:
                    if self.layer_table.parent() is not box:
                        self.layer_table.setParent(box)
                        form.addRow(self.layer_table)
                    continue
                editor = editors.widget_for(f, getattr(defaults, f.name), box)
                editor.setObjectName(f"option_{f.name}")
                editor.setToolTip(f.metadata.get("help", ""))
                self.editors[f.name] = editor
                label = QLabel(editors.label_of(f), box)
                label.setToolTip(f.metadata.get("help", ""))
                label.setBuddy(editor)
                form.addRow(label, editor)
                editors.connect(editor, self._edited)
            outer.addWidget(box)
            self.groups[group] = box

    # --- model -> widgets -------------------------------------------------------
    def _show(self, settings: Settings) -> None:
        """Write the settings into the editors without echoing them back (and
        not into the editor being typed in: its cursor stays where it is)."""
        self.presets.setCurrentIndex(self.presets.findData(self.model.preset))
        for name in CUSTOM_ONLY:
            self.editors[name].setEnabled(settings.quality == "custom")
        if self._editing:
            return
        for name, editor in self.editors.items():
            old = editor.blockSignals(True)
            try:
                editors.write(editor, getattr(settings, name))
            finally:
                editor.blockSignals(old)
        for name in self._marked:  # the model's values are shown: none is marked any more
            self._mark(self.editors[name], None)
        old = self.layer_table.blockSignals(True)
        self.layer_table.set_layers(settings.content_layers, settings.style_layers)
        self.layer_table.blockSignals(old)

    # --- widgets -> model -------------------------------------------------------
    def read(self) -> Settings:
        """The settings the editors show; StyleError for text that is not a number list."""
        values = {}
        defaults = Settings()
        for f in option_fields():
            if f.name in LAYER_FIELDS:
                values[f.name] = self.layer_table.layers("content" if f.name == "content_layers" else "style")
            else:
                values[f.name] = editors.read(self.editors[f.name], getattr(defaults, f.name))
        return Settings.from_dict(values)

    def _edited(self, *_args) -> None:
        try:
            settings = self.read()
        except (
            StyleError
        ) as exc:  # half-typed text, or a value the others rule out: marked, the model keeps the last good value
            self._mark(self.sender(), window_text(exc))
            return
        for name in self._marked:  # every value fits again: the help comes back
            self._mark(self.editors[name], None)
        self._editing = True
        try:
            self.model.set_settings(settings)
        finally:
            self._editing = False

    def _mark(self, editor, problem: str | None) -> None:
        """Tint an editor and put the problem in its tooltip (number boxes too: a Tile size below twice
        the overlap was kept back without a word), or take the tint off and give its help back."""
        name = next((n for n, e in self.editors.items() if e is editor), None)
        if name is None:
            return
        editor.setStyleSheet(INVALID_STYLE if problem else "")
        editor.setToolTip(problem or FIELD_HELP[name])
        self._marked = self._marked | {name} if problem else self._marked - {name}

    def _preset_chosen(self, index: int) -> None:
        name = self.presets.itemData(index)
        if name != CUSTOM:
            self.model.set_settings(choose_preset(name, self.model.settings))
        self.presets.setCurrentIndex(self.presets.findData(self.model.preset))

    def _set_advanced(self, on: bool) -> None:
        for group, box in self.groups.items():
            box.setVisible(on or group == BASIC_GROUP)
        self.advanced_toggled.emit(on)

    def focus_first(self) -> None:
        self.editors["size"].setFocus(Qt.FocusReason.OtherFocusReason)
