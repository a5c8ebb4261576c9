"""``python main.py --self-test``: open the real window offscreen, load the samples, run a
few iterations through the worker thread, export, close, and exit 0.

CI and the packaged app run it; any failure prints why and exits 1.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def self_test(timeout: float = 180.0) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings  # local: after QT_QPA_PLATFORM is set, and the library check

    with tempfile.TemporaryDirectory(prefix="nss-self-test-") as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        from .qtapp import make_app  # local: as above

        app = make_app([])
        from .main_window import MainWindow  # local: as above
        from .prefs import Preferences  # local: as above

        window = MainWindow(
            prefs=Preferences(QSettings(str(Path(tmp) / "prefs.ini"), QSettings.Format.IniFormat)),
            state_dir=Path(tmp),
            load_samples=False,
        )
        window.runner.instant_enabled = False
        window.show()
        steps: list[str] = []
        try:
            _exercise(app, window, Path(tmp), steps, timeout)
        except AssertionError as exc:
            print(f"self-test FAILED after: {', '.join(steps) or 'start'}: {exc}", file=sys.stderr)
            return 1
        finally:
            window.sessions.dirty = False  # nothing of a self-test is worth a "Save changes?" question
            window.close()
            app.processEvents()
        print("self-test passed: " + "; ".join(steps))
        return 0


def _exercise(app, window, tmp: Path, steps: list[str], timeout: float) -> None:
    """Samples, a four-iteration run through the worker thread, an export; AssertionError says what failed."""
    window.load_samples()
    assert window.doc.content is not None and window.doc.styles, "the samples did not load"
    steps.append("samples loaded")
    window.model.set_settings(window.model.settings.replace(quality="custom", size=64, iterations=4, preview_every=1))
    previews: list = []
    iterations: list = []
    window.runner.controller.preview.connect(lambda p: previews.append(p.shape))
    window.runner.controller.progress.connect(lambda p: iterations.append(p.iteration))
    assert window.runner.run(), "the run did not start"
    deadline = time.monotonic() + timeout  # the bundle's own check, outside the test suite
    while window.runner.controller.is_running() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    assert not window.runner.controller.is_running(), f"the run did not finish within {timeout:.0f} s"
    assert window.doc.result is not None, "the run produced no result"
    assert previews, "no preview arrived"
    assert iterations and iterations[-1] == 4, f"the run reported iterations {iterations}"
    steps.append(f"ran {iterations[-1]} iterations, {len(previews)} previews")
    out = tmp / "self-test.png"
    assert window.runner.export(str(out)), "export failed"
    assert out.is_file() and out.stat().st_size > 0, "the exported file is missing"
    steps.append(f"exported {out.stat().st_size} bytes")
