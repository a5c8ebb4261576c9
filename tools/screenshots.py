"""Take the documentation screenshots: ``xvfb-run -s "-screen 0 1400x900x24" python tools/screenshots.py docs/screenshots``.

Drives the real window: a run in progress; after it, with its result on the
canvas, the Basic view, the Advanced view and the Queue dock with a finished
job; the mask editor with painted regions; the export dialog; and a video
export under way (a pan over the sample photo, as a folder of frames).
Preferences go to a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the repository

from PySide6.QtCore import QSettings  # noqa: E402  (after the path above)
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from engine.image.io import load_image, resize_long_side  # noqa: E402
from engine.image.write import save_image  # noqa: E402
from gui.export import ExportDialog  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.prefs import Preferences  # noqa: E402
from gui.qtapp import make_app  # noqa: E402
from resources import sample_path  # noqa: E402


def wait(app, condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def pause(app, seconds: float) -> None:
    wait(app, lambda: False, seconds)


def open_window(tmp: str):
    """The real window with the samples, preferences and cache in `tmp` (what a new user sees)."""
    os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # the estimates a new user sees, not this machine's history
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    app = make_app([])
    prefs = Preferences(QSettings(str(Path(tmp) / "prefs.ini"), QSettings.Format.IniFormat))
    prefs.set_value("view/instant_preview", "false")
    w = MainWindow(prefs=prefs, state_dir=Path(tmp), load_samples=True)
    w.resize(1380, 860)
    w.show()
    pause(app, 0.5)
    return app, w


def shoot_run_and_views(app, w, out: Path) -> None:
    """The default run (what a new user gets): half-way, then finished in the Basic and the Advanced view."""
    fractions = []
    w.runner.controller.progress.connect(lambda p: fractions.append(p.fraction))
    w.runner.run()
    wait(app, lambda: fractions and fractions[-1] >= 0.5, timeout=600)
    pause(app, 0.3)
    w.grab().save(str(out / "run-in-progress.png"))
    wait(app, lambda: not w.runner.controller.is_running(), timeout=600)
    pause(app, 0.3)
    w.grab().save(str(out / "basic-view.png"))
    w.options.advanced.setChecked(True)
    pause(app, 0.3)
    w.grab().save(str(out / "advanced-view.png"))
    w.options.advanced.setChecked(False)


def shoot_queue(app, w, out: Path) -> None:
    """The Queue dock: the document rendered as a job, and a second job (another style) waiting."""
    w.queue_dock.show()
    w.queue_dock.raise_()
    panel = w.queue_panel
    panel.add_current()
    done = []
    panel.job_finished.connect(lambda *args: done.append(args))
    panel.run_all()
    wait(app, lambda: bool(done) and not panel.is_running(), timeout=300)
    w.add_style(str(sample_path("style2")), remember=False)
    panel.add_current()
    w.remove_style()  # back to the one style the other views show
    w.view.show_key("result")
    panel.table.selectRow(0)
    pause(app, 0.3)
    w.grab().save(str(out / "queue-view.png"))
    w.options_dock.raise_()


def shoot_masks(app, w, out: Path) -> None:
    """The mask editor: two regions on the content, each mapped to a style."""
    w.add_style(str(sample_path("style2")))
    w.view.show_key("content")
    w.mask_dock.raise_()
    ed = w.mask_editor
    ed.set_tool("brush")
    ed.hardness.setValue(60)
    ed.size.setValue(40)
    mask = w.doc.mask("content")
    mask.checkpoint()
    ed.region.select_region(1)
    mask.stroke((60, 60), (420, 60), 50, 0.6, 1)
    mask.stroke((60, 250), (420, 250), 50, 0.6, 2)
    ed.opacity.setValue(55)
    ed._changed()
    ed.assign.cellWidget(0, 1).setCurrentIndex(1)
    ed.assign.cellWidget(1, 1).setCurrentIndex(2)
    pause(app, 0.3)
    w.grab().save(str(out / "mask-editor.png"))


def shoot_export(app, w, out: Path) -> None:
    dialog = ExportDialog(
        max(w.doc.result.shape[:2]),
        str(Path.home() / "Pictures" / "chelsea-styled.png"),
        w,
        estimate=w.runner.export_estimate,
        prefs=w.prefs,
    )
    dialog.size.setCurrentIndex(1)
    dialog.show()
    pause(app, 0.3)
    dialog.grab().save(str(out / "export-dialog.png"))
    dialog.close()


def shoot_video(app, w, out: Path, tmp: Path) -> None:
    """Export Video half-way: the Video dock with its frame slider, progress, ETA and the frame in hand."""
    photo = resize_long_side(load_image(sample_path("content")).rgb, 400)
    frames = tmp / "pan"
    frames.mkdir()
    for k in range(12):  # a slow pan: 300 px wide windows, 6 px apart
        save_image(frames / f"frame_{k + 1:04d}.png", photo[:, 6 * k : 6 * k + 300])
    w.model.set_settings(w.model.settings.replace(size=256))
    w.sessions.dirty = False  # the masks shot's strokes are no work to keep: no "Save changes?" question
    w.video.open(str(frames))
    wait(app, lambda: w.video.frame_image is not None and w.doc.content is w.video.frame_image)
    w.options_dock.raise_()
    chosen = (str(tmp / "pan-styled.mp4"), "MP4 video (*.mp4)")
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: chosen)  # the tool answers the save dialog
    w.video.export_video()
    wait(app, lambda: w.video.panel.bar.value() >= 4, timeout=600)
    pause(app, 0.5)
    w.grab().save(str(out / "video-export.png"))
    w.video.export.stop()
    wait(app, lambda: not w.video.export.is_running(), timeout=120)


def main(out_dir: str = "docs/screenshots") -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="nss-shots-"))
    app, w = open_window(str(tmp))
    shoot_run_and_views(app, w, out)
    shoot_queue(app, w, out)
    shoot_masks(app, w, out)
    shoot_export(app, w, out)
    shoot_video(app, w, out, tmp)
    w.sessions.dirty = False  # a screenshot run keeps nothing; no "Save changes?" question
    w.close()
    app.processEvents()
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
