"""Light, dark or the system's look: most image editors artists use open dark,
so that the picture, not the window, holds the eye."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = {"system": "As the system", "light": "Light", "dark": "Dark"}

_DARK = {
    QPalette.ColorRole.Window: (45, 45, 48),
    QPalette.ColorRole.WindowText: (225, 225, 225),
    QPalette.ColorRole.Base: (30, 30, 32),
    QPalette.ColorRole.AlternateBase: (45, 45, 48),
    QPalette.ColorRole.ToolTipBase: (60, 60, 64),
    QPalette.ColorRole.ToolTipText: (235, 235, 235),
    QPalette.ColorRole.Text: (225, 225, 225),
    QPalette.ColorRole.Button: (55, 55, 58),
    QPalette.ColorRole.ButtonText: (225, 225, 225),
    QPalette.ColorRole.BrightText: (255, 80, 80),
    QPalette.ColorRole.Link: (90, 160, 255),
    QPalette.ColorRole.Highlight: (50, 105, 185),  # white on it: 5.4:1 (WCAG asks 4.5)
    QPalette.ColorRole.HighlightedText: (255, 255, 255),
    QPalette.ColorRole.PlaceholderText: (140, 140, 140),
}
_system_style: str | None = None
_DISABLED = (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, rgb in _DARK.items():
        palette.setColor(role, QColor(*rgb))
    for role in _DISABLED:
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return palette


def apply(app: QApplication, theme: str) -> str:
    """Use `theme` ('system', 'light' or 'dark'); an unknown name means the system's."""
    global _system_style
    theme = theme if theme in THEMES else "system"
    if _system_style is None:
        _system_style = app.style().name()  # what "system" goes back to
    if theme == "system":
        app.setStyle(_system_style)
        app.setPalette(app.style().standardPalette())
    else:
        app.setStyle("Fusion")  # the one style that follows a palette everywhere
        app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())
    return theme
