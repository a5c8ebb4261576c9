"""Export Video's questions and checks, all before the first iteration: the
output (a video file, .mp4 by default, or a folder for PNG frames), whether
it may be replaced, and the cache of finished frames beside it (the same
export resumes from it; another render's frames are only removed on a Yes).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.errors import StyleError
from engine.video.cache import FrameCache, wrote_partial
from engine.video.frames import VIDEO_SUFFIXES, pick_codec
from engine.video.options import VideoOptions

from .dialogs import show_message
from .export import confirm_overwrite
from .size_checks import fits_before_work
from .video_worker import VideoJob, render_key

MP4_FILTER = "MP4 video (*.mp4)"
OTHER_FILTER = "Other video (*.mov *.mkv *.webm *.gif)"
FOLDER_FILTER = "Folder of PNG frames (no extension)"
EXPORT_FILTERS = ";;".join((MP4_FILTER, OTHER_FILTER, FOLDER_FILTER))


def output_path(text: str, chosen_filter: str) -> Path:
    """The output the save dialog's answer names: .mp4 added under the MP4 filter; no extension
    under the folder filter means a folder of PNG frames. StyleError when it cannot be written."""
    out = Path(text)
    if not out.suffix and chosen_filter == MP4_FILTER:
        out = out.with_suffix(".mp4")
    if out.suffix and out.suffix.lower() not in VIDEO_SUFFIXES:
        raise StyleError(
            f"{out.name} must end in {', '.join(VIDEO_SUFFIXES)}, or have no extension for a folder of PNG frames."
        )
    if not out.parent.is_dir() or not os.access(out.parent, os.W_OK | os.X_OK):
        raise StyleError(f"Folder {out.parent} does not exist or is not writable; choose another folder.")
    if out.suffix:
        pick_codec(out)
        if out.is_dir():
            raise StyleError(f"{out} is a folder; give a video file name such as {out / 'result.mp4'}.")
    elif out.exists() and not out.is_dir():
        raise StyleError(f"{out} is a file; give a name without an extension for a folder of PNG frames.")
    return out


def prepare_job(parent, model, runner, prefs, source, options: VideoOptions) -> VideoJob | None:
    """Check everything and ask for the output; the job to start, or None (said in a dialog, or cancelled).
    `parent` holds the dialogs; the document model, the run controller and the preferences give the rest."""
    settings = _checked_settings(parent, model, runner)
    if settings is None:
        return None
    folder = Path(str(prefs.value("export/folder", str(source.path.parent))))
    suggested = str(folder / f"{source.path.stem}-styled.mp4")
    text, chosen = QFileDialog.getSaveFileName(
        parent, "Export video", suggested, EXPORT_FILTERS, MP4_FILTER, QFileDialog.Option.DontConfirmOverwrite
    )  # asked below, knowing more
    if not text:
        return None
    styles = [s.rgb for s in model.doc.styles]
    try:
        out = output_path(text, chosen)
        key = render_key(source, styles, settings, options)
        cache = _cache(parent, out, key)
    except StyleError as exc:
        show_message(parent, "Cannot export there", str(exc))
        return None
    if cache is None:
        return None
    prefs.set_value("export/folder", str(out.parent))
    return VideoJob(source, out, styles, settings, options, cache)


def _checked_settings(parent, model, runner):
    """The settings, when the styles are there, the network can take the frame and style sizes and
    the style images fit in memory (engine.pipeline.checks, as the command line checks them), before
    any question about the output."""
    doc = model.doc
    if not doc.styles:
        show_message(parent, "No style image", "Add a style image first (File ▸ Add style image…).")
        return None
    settings = runner.current_settings(len(doc.styles))
    if settings is None:
        return None
    return settings if fits_before_work(parent, doc, settings, "export") else None


def _cache(parent, out: Path, key: dict) -> FrameCache | None:
    """The finished-frames cache of this export; None when the user keeps what is there."""
    folder = out.with_name(out.name + ".frames")
    taken = out.exists() and (out.is_file() or any(out.iterdir()))
    replace = False
    if taken and not wrote_partial(folder, key, out):  # an earlier stop of this same export may be replaced
        if not confirm_overwrite(parent, str(out)):
            return None
        replace = True
    try:
        return FrameCache(folder, key, overwrite=replace)
    except StyleError:
        if not folder.is_dir():
            raise
    answer = QMessageBox.question(
        parent,
        "Remove the frames of another render?",
        f"{folder} holds the frames of a different render (another video, style or settings). Remove them "
        "and start this export from the first frame?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    return FrameCache(folder, key, overwrite=True)
