"""The QApplication of the window, made once: high-DPI policy, names, icon.

Its own module so that gui.app (which starts the self-test) and gui.self_test
(which needs the application) do not import each other."""

from __future__ import annotations

import sys


def make_app(argv: list[str]):
    # local: gui.app imports this module before its library check; Qt loads only when the app is made
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    from resources import resource

    app = QApplication.instance()
    if app is None:
        # Qt 6 scales for high-DPI screens itself; keep fractional factors (150%) exact.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        QCoreApplication.setOrganizationName("Neural Style Studio")
        QCoreApplication.setApplicationName("Neural Style Studio")
        QGuiApplication.setDesktopFileName("neural-style-studio")
        app = QApplication([sys.argv[0] if sys.argv else "neural-style-studio", *argv])
        app.setWindowIcon(QIcon(str(resource("icons/neural_style_studio.png"))))
    return app
