"""Message boxes that do not block: shown window-modal with open(), so the app
keeps working and tests can find and close them."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from engine.errors import StyleError
from engine.image.io import LoadedImage, load_image
from engine.pipeline.advice import TooLittleMemory

from .wording import in_window_words, window_fixes

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)"


def show_message(parent: QWidget, title: str, text: str, icon=QMessageBox.Icon.Warning) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("message_dialog")
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def ask_and_load_image(
    parent: QWidget, path: str | None, title: str, what: str, folder: str
) -> tuple[str | None, LoadedImage | None]:
    """(path, image) from `path` or an open dialog in `folder`; (None, None) when cancelled or unreadable
    (then the reason is shown in one sentence)."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(parent, title, folder, IMAGE_FILTER)
        if not path:
            return None, None
    try:
        return path, load_image(path, what)
    except StyleError as exc:
        show_message(parent, f"Cannot open {Path(path).name}", window_text(exc))
        return None, None


def ask_save_changes(parent: QWidget, doing: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before `doing` something that drops unsaved work."""
    buttons = QMessageBox.StandardButton
    return QMessageBox.question(
        parent,
        "Save changes?",
        f"The session has unsaved changes (a result, masks or settings). Save them before you {doing}?",
        buttons.Save | buttons.Discard | buttons.Cancel,
        buttons.Save,
    )


def ask_discard_run(parent: QWidget, doing: str, what: str = "run") -> bool:
    """A run (or an export) is working: True to discard it and go on `doing`; False keeps it going."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        f"Stop the {what}?",
        f"A {what} is in progress. Discard it and {doing}? To keep its picture so far, choose Cancel "
        "and press Stop (Esc) first.",
        buttons.Discard | buttons.Cancel,
        buttons.Cancel,
    )
    return answer == buttons.Discard


def show_failure(parent: QWidget, exc: BaseException, instant: bool = False) -> None:
    """A run failed; the instant preview is a convenience, but its failure is still said, not only logged."""
    if instant:
        hint = " Run still renders the picture; turn View > Instant AdaIN preview off if this repeats."
        show_message(parent, "The instant preview failed", error_sentence(exc) + hint, QMessageBox.Icon.Warning)
    else:
        show_message(parent, "The run failed", error_sentence(exc), QMessageBox.Icon.Critical)


def window_text(exc: BaseException) -> str:
    """An engine error's text (a StyleError, an OSError) as the window says it: naming the Options
    panel's controls where the engine names the command line's options."""
    if isinstance(exc, TooLittleMemory):
        return exc.sentence(window_fixes())
    return in_window_words(str(exc))


def error_sentence(exc: BaseException) -> str:
    """What a user reads when a worker fails: a sentence that says what to do, not a Python internal."""
    if isinstance(exc, StyleError):
        return window_text(exc)  # the window's controls, not the command line's flags
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, MemoryError) or "out of memory" in text.lower():
        return (
            f"The run ran out of memory ({text}). Choose a smaller size, fewer scales or a smaller style "
            "scale, or close other programs, and run again."
        )
    if isinstance(exc, OSError):
        return f"A file could not be read or written ({text}). Check the disk and the folder's permissions, then try again."
    return (
        f"The run stopped on an unexpected error ({type(exc).__name__}: {text}). Your images, masks and "
        "settings are unchanged; run again, and report it if it happens again."
    )


def install_error_dialog(parent: QWidget) -> None:
    """Uncaught exceptions in the window's own code (a slot, a paint) become a
    dialog with a sentence instead of a line in a terminal nobody reads; the
    traceback still goes to stderr for a bug report."""

    def hook(kind, exc, tb) -> None:
        traceback.print_exception(kind, exc, tb)
        if issubclass(kind, KeyboardInterrupt):
            return
        text = str(exc).strip() or kind.__name__
        show_message(
            parent,
            "Something went wrong",
            f"Something went wrong ({kind.__name__}: {text}). Your work is kept; save the session "
            "(Ctrl+S), and report this if it happens again.",
            QMessageBox.Icon.Critical,
        )

    sys.excepthook = hook
