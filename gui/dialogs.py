"""Message boxes that do not block: shown window-modal with open(), so the app
keeps working and tests can find and close them."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_message(parent: QWidget, title: str, text: str, icon=QMessageBox.Icon.Warning) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("message_dialog")
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def ask_save_changes(parent: QWidget, doing: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before `doing` something that drops unsaved work."""
    buttons = QMessageBox.StandardButton
    return QMessageBox.question(
        parent, "Save changes?",
        f"The session has unsaved changes (a result, masks or settings). Save them before you {doing}?",
        buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save,
    )
