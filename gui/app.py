"""Starting the application: ``run_app(argv)`` opens the window; ``--self-test`` checks it end to end."""
from __future__ import annotations

import sys


def make_app(argv: list[str]):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        # Qt 6 scales for high-DPI screens itself; keep fractional factors (150%) exact.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        QCoreApplication.setOrganizationName("Neural Style Studio")
        QCoreApplication.setApplicationName("Neural Style Studio")
        app = QApplication([sys.argv[0] if sys.argv else "neural-style-studio", *argv])
    return app


def run_app(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in argv:
        from .self_test import self_test

        return self_test()
    if any(a in ("-h", "--help") for a in argv):
        print("usage: main.py [--self-test] [IMAGE ...]\n       main.py render CONTENT STYLE -o OUT [options]")
        return 0
    app = make_app([a for a in argv if a.startswith("-")])
    from .main_window import MainWindow

    files = [a for a in argv if not a.startswith("-")]
    window = MainWindow(load_samples=not files)
    for i, path in enumerate(files):
        window.open_content(path) if i == 0 else window.add_style(path)
    geometry = window.prefs.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    window.show()
    window.sessions.offer_recovery()
    return app.exec()

