"""Menus, toolbar and keyboard shortcuts of the main window.

The menus hold the window's collaborators (the document model, the run
controller, the canvas, the sessions, the mask editor, the options panel, the
preferences) and a few window commands, and never the window itself; the
host QMainWindow only lends its menu bar and toolbar area. A new menu is one
call, ``menus.add_menu("V&ideo", [action, ...])``, which puts it before Help.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMenu, QToolBar

from . import theme
from .about import show_about
from .canvas import Canvas
from .mask_editor import MaskEditor
from .model import DocumentModel
from .panels import OptionsPanel
from .prefs import Preferences
from .running import Runner
from .session import SessionManager

Std = QKeySequence.StandardKey
TOOLBAR = (
    "open",
    "add_style",
    None,
    "run",
    "pause",
    "stop",
    None,
    "export",
    None,
    "fit",
    "actual",
    "zoom_in",
    "zoom_out",
)


@dataclass(frozen=True)
class Commands:
    """The window's own commands the menus call: opening images, the queue, the split view, quitting."""

    open_content: Callable[..., bool]  # (path=None): None asks with a file dialog
    add_style: Callable[..., bool]  # (path=None)
    remove_style: Callable[[], None]
    add_to_queue: Callable[[], None]
    compare_toggled: Callable[[], None]
    quit: Callable[[], object]


@dataclass(frozen=True)
class Parts:
    """The collaborators whose methods the actions call."""

    model: DocumentModel
    runner: Runner
    canvas: Canvas
    sessions: SessionManager
    mask_editor: MaskEditor
    options: OptionsPanel
    prefs: Preferences
    docks: tuple[QDockWidget, ...]  # shown or hidden from View


def _action(owner, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
    action = QAction(text, owner)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut) if not isinstance(shortcut, list) else shortcut[0])
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
    tip = tip or text.replace("…", "")
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
    action.setCheckable(checkable)
    if slot is not None:
        action.triggered.connect(slot)
    return action


class Menus(QObject):
    """Every action of the window, in its menu, with its usual shortcut; the main toolbar."""

    def __init__(self, host: QMainWindow, parts: Parts, commands: Commands):
        super().__init__(host)
        self.host, self.parts, self.commands = host, parts, commands
        a = self.actions = _actions(host, parts, commands)
        a["compare"].setChecked(True)
        a["instant"].setChecked(parts.runner.instant_enabled)
        a["instant"].toggled.connect(self._instant_toggled)
        parts.runner.busy_changed.connect(partial(sync_run_actions, a))
        parts.runner.estimate_changed.connect(lambda text, tip: (a["run"].setText(text), a["run"].setToolTip(tip)))
        a["advanced"].setChecked(parts.options.advanced.isChecked())
        parts.options.advanced_toggled.connect(a["advanced"].setChecked)
        parts.sessions.recent_changed.connect(self.fill_recent)
        self._menus(host.menuBar())
        tools = QToolBar("Main", host)
        tools.setObjectName("toolbar_main")
        for key in TOOLBAR:
            tools.addSeparator() if key is None else tools.addAction(a[key])
        host.addToolBar(tools)
        self.fill_recent()

    def _instant_toggled(self, on: bool) -> None:
        self.parts.runner.instant_enabled = on
        self.parts.prefs.set_value("view/instant_preview", "true" if on else "false")

    def add_menu(self, title: str, actions: list[QAction | None]) -> QMenu:
        """One more menu before Help (None: a separator); its actions join the window's shortcuts."""
        menu = QMenu(title, self.host.menuBar())
        for action in actions:
            menu.addSeparator() if action is None else menu.addAction(action)
        self.host.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        return menu

    def _menus(self, bar) -> None:
        a, parts = self.actions, self.parts
        file_menu = bar.addMenu("&File")
        for key in ("new", "open", "add_style", "remove_style"):
            file_menu.addAction(a[key])
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        for key in ("open_session", "save_session", "save_session_as"):
            file_menu.addAction(a[key])
        self.recent_sessions_menu = file_menu.addMenu("Recent sessions")
        for key in (None, "export", None, "quit"):
            file_menu.addSeparator() if key is None else file_menu.addAction(a[key])
        edit = bar.addMenu("&Edit")
        for key in ("undo", "redo", None, "reset"):
            edit.addSeparator() if key is None else edit.addAction(a[key])
        view = bar.addMenu("&View")
        for key in ("zoom_in", "zoom_out", "fit", "actual", "compare", "instant", "advanced"):
            view.addAction(a[key])
        self._theme_menu(view.addMenu("&Theme"))
        view.addSeparator()
        for dock in parts.docks:
            view.addAction(dock.toggleViewAction())
        run = bar.addMenu("&Run")
        for key in ("run", "pause", "stop", None, "add_to_queue"):
            run.addSeparator() if key is None else run.addAction(a[key])
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(a["about"])

    def _theme_menu(self, menu: QMenu) -> None:
        group = QActionGroup(menu)
        current = theme.apply(QApplication.instance(), str(self.parts.prefs.value("view/theme", "system")))
        for name, label in theme.THEMES.items():
            act = menu.addAction(label)
            act.setObjectName(f"theme_{name}")
            act.setCheckable(True)
            act.setChecked(name == current)
            group.addAction(act)
            act.triggered.connect(partial(self._set_theme, name))

    def _set_theme(self, name: str) -> None:
        self.parts.prefs.set_value("view/theme", theme.apply(QApplication.instance(), name))

    # --- recent files -------------------------------------------------------------
    def fill_recent(self) -> None:
        for menu, kind, opener in (
            (self.recent_menu, "images", self._open_recent_image),
            (self.recent_sessions_menu, "sessions", self.parts.sessions.load),
        ):
            menu.clear()
            paths = self.parts.prefs.recent(kind)
            for path in paths:
                menu.addAction(path, partial(opener, path))
            if paths:
                menu.addSeparator()
                menu.addAction("Clear the list", partial(self._clear_recent, kind))
            menu.setEnabled(bool(paths))

    def _clear_recent(self, kind: str) -> None:
        self.parts.prefs.clear_recent(kind)
        self.fill_recent()

    def _open_recent_image(self, path: str) -> None:
        """A recent image is the photo when there is none, else one more style."""
        if self.parts.model.doc.content is None:
            self.commands.open_content(path)
        else:
            self.commands.add_style(path)


def _actions(host, p: Parts, c: Commands) -> dict[str, QAction]:
    return _file_actions(host, p, c) | _view_run_actions(host, p, c)


def _file_actions(host, p: Parts, c: Commands) -> dict[str, QAction]:
    """File and Edit."""
    r, s = p.runner, p.sessions
    return {
        "new": _action(
            host, "&New", lambda: s.new(), Std.New, "Start again from the built-in samples and default settings"
        ),
        "open": _action(host, "&Open content image…", lambda: c.open_content(), Std.Open, "Open the content photo"),
        "add_style": _action(host, "&Add style image…", lambda: c.add_style(), "Ctrl+Shift+O", "Add a style image"),
        "remove_style": _action(host, "Remove style image", c.remove_style, None, "Remove the style image shown"),
        "open_session": _action(host, "Open session…", lambda: s.open_dialog(), "Ctrl+Shift+L"),
        "save_session": _action(host, "&Save session", lambda: s.save(), Std.Save, "Save images, masks and settings"),
        "save_session_as": _action(host, "Save session as…", lambda: s.save(ask=True), Std.SaveAs),
        "export": _action(host, "&Export result…", r.export_dialog, "Ctrl+E", "Export the result as PNG, JPEG or TIFF"),
        "quit": _action(host, "&Quit", c.quit, Std.Quit),
        "undo": _action(host, "&Undo mask edit", p.mask_editor.undo, Std.Undo),
        "redo": _action(host, "&Redo mask edit", p.mask_editor.redo, [QKeySequence(Std.Redo), QKeySequence("Ctrl+Y")]),
    }


def _view_run_actions(host, p: Parts, c: Commands) -> dict[str, QAction]:
    """View, Run and Help."""
    r, v = p.runner, p.canvas
    return {
        "zoom_in": _action(
            host, "Zoom &in", lambda: v.zoom_by(1.25), [QKeySequence(Std.ZoomIn), QKeySequence("Ctrl+=")]
        ),
        "zoom_out": _action(host, "Zoom &out", lambda: v.zoom_by(0.8), Std.ZoomOut),
        "fit": _action(host, "&Fit to window", v.fit, "Ctrl+0"),
        "actual": _action(host, "&100%", v.actual_size, "Ctrl+1", "Show the image at its real pixel size"),
        "compare": _action(
            host, "Before/after split", c.compare_toggled, "Ctrl+B", "Compare the content with the result", True
        ),
        "instant": _action(
            host, "Instant AdaIN preview", None, None, "Show a fast AdaIN preview when a style is added", True
        ),
        "run": _action(host, "&Run", lambda: r.run(), "Ctrl+R", "Start the style transfer"),
        "pause": _action(host, "&Pause", r.toggle_pause, "Ctrl+P", "Pause or resume the run"),
        "stop": _action(host, "&Stop", r.stop, "Esc", "Stop; the best image so far is kept"),
        "add_to_queue": _action(
            host,
            "Add to &queue",
            c.add_to_queue,
            "Ctrl+Shift+Q",
            "Queue the photo, styles, masks and settings to render later, one job after another",
        ),
        "about": _action(host, "&About Neural Style Studio", partial(show_about, host), Std.HelpContents),
        "advanced": _action(
            host,
            "&Advanced options",
            p.options.advanced.setChecked,
            "Ctrl+Shift+A",
            "Show the layers, optimiser, network and device options too",
            True,
        ),
        "reset": _action(
            host, "Reset options to defaults", p.options.reset.click, None, "Every option back to its default"
        ),
    }


def sync_run_actions(a: dict[str, QAction], running: bool, stopping: bool, paused: bool) -> None:
    """Run while idle; Stop and Pause while a run works and is not stopping."""
    a["run"].setEnabled(not running)
    a["stop"].setEnabled(running and not stopping)
    a["pause"].setEnabled(running and not stopping)
    a["pause"].setText("Resume" if paused else "Pause")
