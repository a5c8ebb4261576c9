"""Take the documentation screenshots: ``xvfb-run -s "-screen 0 1400x900x24" python tools/screenshots.py docs/screenshots``.

Drives the real window: a run in progress, the mask editor with painted
regions, and the export dialog. Preferences go to a temporary folder.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the repository


def wait(app, condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def pause(app, seconds: float) -> None:
    wait(app, lambda: False, seconds)


def main(out_dir: str = "docs/screenshots") -> int:
    from PySide6.QtCore import QSettings

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="nss-shots-")
    import os

    os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # the estimates a new user sees, not this machine's history
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    from gui.qtapp import make_app

    app = make_app([])
    from gui.export import ExportDialog
    from gui.main_window import MainWindow
    from gui.prefs import Preferences

    prefs = Preferences(QSettings(str(Path(tmp) / "prefs.ini"), QSettings.Format.IniFormat))
    prefs.set_value("view/instant_preview", "false")
    w = MainWindow(prefs=prefs, state_dir=Path(tmp), load_samples=True)
    w.resize(1380, 860)
    w.show()
    pause(app, 0.5)

    # 0. the first view: Basic options, the Run button with its estimate
    w.grab().save(str(out / "basic-view.png"))

    # 1. a run in progress
    w.model.set_settings(w.model.settings.replace(quality="custom", size=320, iterations=200, preview_every=1))
    seen = []
    w.runner.controller.progress.connect(lambda p: seen.append(p.iteration))
    w.runner.run()
    wait(app, lambda: len(seen) >= 40)
    pause(app, 0.3)
    w.grab().save(str(out / "run-in-progress.png"))
    w.runner.stop()
    wait(app, lambda: not w.runner.controller.is_running())

    # 1b. the Advanced view: layers, optimiser, network, device
    w.options.advanced.setChecked(True)
    pause(app, 0.3)
    w.grab().save(str(out / "advanced-view.png"))
    w.options.advanced.setChecked(False)

    # 2. the mask editor: two regions on the content, each mapped to a style
    from resources import sample_path

    w.add_style(str(sample_path("style2")))
    w.show_key("content")
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

    # 3. the export dialog
    dialog = ExportDialog(max(w.doc.result.shape[:2]), str(Path.home() / "Pictures" / "chelsea-styled.png"), w,
                          estimate=w.runner.export_estimate, prefs=w.prefs)
    dialog.size.setCurrentIndex(1)
    dialog.show()
    pause(app, 0.3)
    dialog.grab().save(str(out / "export-dialog.png"))
    dialog.close()
    w.sessions.dirty = False  # a screenshot run keeps nothing; no "Save changes?" question
    w.close()
    app.processEvents()
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
