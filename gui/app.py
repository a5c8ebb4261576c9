"""Starting the application: ``run_app(argv)`` opens the window; ``--self-test`` checks it end to end."""

from __future__ import annotations

import os
import sys

from .qtapp import make_app  # the self-test and screenshots use it too; kept here as gui.app.make_app


def run_app(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(
            "usage: main.py [--self-test | --version] [IMAGE ... | SESSION.nss]\n"
            "       main.py render CONTENT STYLE -o OUT [options]   (main.py render --help)\n"
            "       main.py mix-scales COARSE FINE -o OUT\n"
            "       main.py batch CONTENT... --style STYLE... -o OUTDIR   (main.py batch --help)\n"
            "       main.py video INPUT STYLE... -o OUT   (main.py video --help)"
        )
        return 0
    from .syslibs import check  # local: --help answers without loading anything

    if check():  # before QApplication (the self-test's too): Qt's own message for a missing library is a page long
        return 2
    if "--self-test" in argv:
        from .self_test import self_test  # local: Qt loads only after the library check

        return self_test()
    app = make_app([a for a in argv if a.startswith("-")])
    from .main_window import MainWindow  # local: Qt loads only after the library check

    files = [a for a in argv if not a.startswith("-")]
    window = MainWindow(load_samples=not files)
    from .dialogs import install_error_dialog  # local: as above

    install_error_dialog(window)
    for path in files:  # images or a session, e.g. from the file manager
        if path.endswith(".nss"):
            window.sessions.load(path)
        elif window.doc.content is None:
            window.open_content(path)
        else:
            window.add_style(path)
    geometry = window.prefs.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    window.show()
    window.sessions.offer_recovery()
    if os.environ.get("NSS_EXIT_AFTER_SHOW"):  # bench/startup.py: quit once the window is up
        from PySide6.QtCore import QTimer  # local: as above

        def shown() -> None:
            print("shown after start-up", flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
    return app.exec()
