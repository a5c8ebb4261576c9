"""Menus, toolbar and keyboard shortcuts of the main window."""
from __future__ import annotations

from functools import partial

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QToolBar

from . import theme
from .about import show_about
from .video_window import add_video_actions

Std = QKeySequence.StandardKey


def _action(window, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
    action = QAction(text, window)
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


def build_menus(w) -> dict[str, QAction]:
    """Every action of the window, in its menu, with its usual shortcut; the main toolbar."""
    a = _actions(w)
    a["compare"].setChecked(True)
    a["instant"].setChecked(w.runner.instant_enabled)
    a["instant"].toggled.connect(lambda on: (setattr(w.runner, "instant_enabled", on),
                                             w.prefs.set_value("view/instant_preview", "true" if on else "false")))
    w.runner.busy_changed.connect(partial(sync_run_actions, a))
    w.runner.estimate_changed.connect(lambda text, tip: (a["run"].setText(text), a["run"].setToolTip(tip)))
    a["advanced"].setChecked(w.options.advanced.isChecked())
    w.options.advanced_toggled.connect(a["advanced"].setChecked)
    _menus(w, a)
    tools = QToolBar("Main", w)
    tools.setObjectName("toolbar_main")
    for key in ("open", "add_style", None, "run", "pause", "stop", None, "export", None, "fit", "actual", "zoom_in", "zoom_out"):
        tools.addSeparator() if key is None else tools.addAction(a[key])
    w.addToolBar(tools)
    w.acts = a
    fill_recent(w)
    return a


def _actions(w) -> dict[str, QAction]:
    r, c = w.runner, w.canvas
    return {
        "new": _action(w, "&New", lambda: w.sessions.new(), Std.New, "Start again from the built-in samples and default settings"),
        "open": _action(w, "&Open content image…", lambda: w.open_content(), Std.Open, "Open the content photo"),
        "add_style": _action(w, "&Add style image…", lambda: w.add_style(), "Ctrl+Shift+O", "Add a style image"),
        "remove_style": _action(w, "Remove style image", w.remove_style, None, "Remove the style image shown"),
        "open_session": _action(w, "Open session…", lambda: w.sessions.open_dialog(), "Ctrl+Shift+L"),
        "save_session": _action(w, "&Save session", lambda: w.sessions.save(), Std.Save, "Save images, masks and settings"),
        "save_session_as": _action(w, "Save session as…", lambda: w.sessions.save(ask=True), Std.SaveAs),
        "export": _action(w, "&Export result…", r.export_dialog, "Ctrl+E", "Export the result as PNG, JPEG or TIFF"),
        "quit": _action(w, "&Quit", w.close, Std.Quit),
        "undo": _action(w, "&Undo mask edit", w.mask_editor.undo, Std.Undo),
        "redo": _action(w, "&Redo mask edit", w.mask_editor.redo, [QKeySequence(Std.Redo), QKeySequence("Ctrl+Y")]),
        "zoom_in": _action(w, "Zoom &in", lambda: c.zoom_by(1.25), [QKeySequence(Std.ZoomIn), QKeySequence("Ctrl+=")]),
        "zoom_out": _action(w, "Zoom &out", lambda: c.zoom_by(0.8), Std.ZoomOut),
        "fit": _action(w, "&Fit to window", c.fit, "Ctrl+0"),
        "actual": _action(w, "&100%", c.actual_size, "Ctrl+1", "Show the image at its real pixel size"),
        "compare": _action(w, "Before/after split", w._sync_split, "Ctrl+B", "Compare the content with the result", True),
        "instant": _action(w, "Instant AdaIN preview", None, None, "Show a fast AdaIN preview when a style is added", True),
        "run": _action(w, "&Run", lambda: r.run(), "Ctrl+R", "Start the style transfer"),
        "pause": _action(w, "&Pause", r.toggle_pause, "Ctrl+P", "Pause or resume the run"),
        "stop": _action(w, "&Stop", r.stop, "Esc", "Stop; the best image so far is kept"),
        "add_to_queue": _action(w, "Add to &queue", w.add_to_queue, "Ctrl+Shift+Q",
                                "Queue the photo, styles, masks and settings to render later, one job after another"),
        "about": _action(w, "&About Neural Style Studio", partial(show_about, w), Std.HelpContents),
        "advanced": _action(w, "&Advanced options", w.options.advanced.setChecked, "Ctrl+Shift+A",
                            "Show the layers, optimiser, network and device options too", True),
        "reset": _action(w, "Reset options to defaults", w.options.reset.click, None, "Every option back to its default"),
    }


def sync_run_actions(a: dict[str, QAction], running: bool, stopping: bool, paused: bool) -> None:
    """Run while idle; Stop and Pause while a run works and is not stopping."""
    a["run"].setEnabled(not running)
    a["stop"].setEnabled(running and not stopping)
    a["pause"].setEnabled(running and not stopping)
    a["pause"].setText("Resume" if paused else "Pause")


def _menus(w, a: dict[str, QAction]) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    for key in ("new", "open", "add_style", "remove_style"):
        file_menu.addAction(a[key])
    w.recent_menu = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    for key in ("open_session", "save_session", "save_session_as"):
        file_menu.addAction(a[key])
    w.recent_sessions_menu = file_menu.addMenu("Recent sessions")
    file_menu.addSeparator()
    file_menu.addAction(a["export"])
    add_video_actions(w, file_menu)  # Open video as content, Export video, Play video; the Video dock
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])
    edit = bar.addMenu("&Edit")
    edit.addAction(a["undo"])
    edit.addAction(a["redo"])
    edit.addSeparator()
    edit.addAction(a["reset"])
    view = bar.addMenu("&View")
    for key in ("zoom_in", "zoom_out", "fit", "actual", "compare", "instant", "advanced"):
        view.addAction(a[key])
    _theme_menu(w, view.addMenu("&Theme"))
    view.addSeparator()
    for dock in (w.options_dock, w.mask_dock, w.queue_dock):
        view.addAction(dock.toggleViewAction())
    run = bar.addMenu("&Run")
    for key in ("run", "pause", "stop", None, "add_to_queue"):
        run.addSeparator() if key is None else run.addAction(a[key])
    bar.addMenu("&Help").addAction(a["about"])


def _theme_menu(w, menu) -> None:
    group = QActionGroup(menu)
    current = theme.apply(QApplication.instance(), str(w.prefs.value("view/theme", "system")))
    for name, label in theme.THEMES.items():
        act = menu.addAction(label)
        act.setObjectName(f"theme_{name}")
        act.setCheckable(True)
        act.setChecked(name == current)
        group.addAction(act)
        act.triggered.connect(partial(_set_theme, w, name))


def _set_theme(w, name: str) -> None:
    w.prefs.set_value("view/theme", theme.apply(QApplication.instance(), name))


def fill_recent(w) -> None:
    for menu, kind, opener in ((w.recent_menu, "images", _open_recent_image), (w.recent_sessions_menu, "sessions", _open_recent_session)):
        menu.clear()
        paths = w.prefs.recent(kind)
        for path in paths:
            menu.addAction(path, partial(opener, w, path))
        if paths:
            menu.addSeparator()
            menu.addAction("Clear the list", partial(_clear_recent, w, kind))
        menu.setEnabled(bool(paths))


def _clear_recent(w, kind: str) -> None:
    w.prefs.clear_recent(kind)
    fill_recent(w)


def _open_recent_image(w, path: str) -> None:
    if w.doc.content is None:
        w.open_content(path)
    else:
        w.add_style(path)


def _open_recent_session(w, path: str) -> None:
    w.sessions.load(path)
