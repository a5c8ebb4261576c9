"""GUI fixtures: offscreen Qt, preferences in tmp_path, the real window, and a
check that no test leaves a worker thread running."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402


@pytest.fixture(autouse=True)
def no_dangling_qthreads():
    """Fail a test that leaves a QThread running (napari's dangling_qthreads)."""
    yield
    from gui.worker import LIVE_THREADS

    running = [t for t in list(LIVE_THREADS) if t.isRunning()]
    for t in running:  # stop them so the next test starts clean, then fail
        t.quit()
        t.wait(30000)
    if running:
        pytest.fail(f"{len(running)} QThread(s) still running after the test")


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path):
    """QSettings go to tmp_path, never the user's real preferences."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield tmp_path / "qsettings"


@pytest.fixture(autouse=True)
def questions(monkeypatch):
    """QMessageBox.question would block a test (and pytest-qt's closing of its
    widgets) in a modal loop; by default it answers the safe way that loses
    nothing of the test's files: No to "replace?", Discard to "Save changes?".
    Each question is recorded; tests that answer otherwise patch it themselves."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def answer(parent, title, text, buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, *a):
        asked.append(text)
        if buttons & QMessageBox.StandardButton.Discard:
            return QMessageBox.StandardButton.Discard
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


@pytest.fixture
def prefs(tmp_path):
    from gui.prefs import Preferences

    q = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    q.setValue("view/instant_preview", "false")  # tests of the AdaIN preview turn it on themselves
    return Preferences(q)


@pytest.fixture
def window(qtbot, prefs, tmp_path):
    """The real main window with the built-in samples loaded and tiny, fast settings."""
    from gui.main_window import MainWindow

    w = MainWindow(prefs=prefs, state_dir=tmp_path / "state", load_samples=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    set_options(w, size=64, iterations=5, preview_every=1)
    w.sessions.dirty = False  # the test's starting point, as a freshly opened window
    yield w
    w.runner.controller.shutdown()


def set_options(window, **changes):
    if {"iterations", "scales"} & set(changes):  # counts given are run as given
        changes.setdefault("quality", "custom")
    window.model.set_settings(window.model.settings.replace(**changes))


@pytest.fixture(name="set_options")
def set_options_fixture():
    return set_options
