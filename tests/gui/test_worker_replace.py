"""Run pressed while the instant preview's thread is ending: the old thread's late
`finished` signal must not make the window wait on the new run (it froze the
window for the whole first pass, about 9 s, before any progress showed)."""

import threading
from types import SimpleNamespace

from gui.worker import RunController


def test_a_replaced_threads_late_signal_does_not_freeze_the_next_run(qtbot):
    controller = RunController()
    release = threading.Event()  # set by the GUI thread when the second run's progress arrives
    results = []

    def first(report, should_stop):
        return "first"

    def second(report, should_stop):
        report(SimpleNamespace(iteration=1))
        return release.wait(120)  # a frozen GUI thread never sets it: the run ends False instead of hanging

    def on_finished(result):
        results.append(result)
        if result == "first":  # as Runner.run does when Run is pressed during the instant preview
            controller.shutdown()
            controller.start(second)

    controller.finished.connect(on_finished)
    controller.progress.connect(lambda p: release.set())
    controller.start(first)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=300000)
    assert results[1] is True, "the window was blocked while the second run worked"
    qtbot.waitUntil(lambda: not controller.is_running(), timeout=60000)


def test_what_a_forgotten_worker_sent_never_reaches_the_window(qtbot):
    """File > Open during a run shuts the run down and replaces the document: the
    stopped run's result, still queued, must not land in the new document."""
    from PySide6.QtCore import QCoreApplication

    controller = RunController()
    seen, began = [], threading.Event()
    for name in ("progress", "preview", "finished", "failed", "cancelled"):
        getattr(controller, name).connect(lambda value, name=name: seen.append(name))

    def endless(report, should_stop):
        began.set()
        while not should_stop():
            report(SimpleNamespace(iteration=1))
        return SimpleNamespace(cancelled=True)

    controller.start(endless)
    qtbot.waitUntil(began.is_set, timeout=60000)
    assert controller.shutdown()
    seen.clear()
    QCoreApplication.processEvents()  # delivers what the worker queued before it ended
    QCoreApplication.processEvents()
    assert seen == [], "a forgotten worker's signals reached the window"
    with qtbot.waitSignal(controller.finished, timeout=60000) as done:  # the next run's signals still arrive
        controller.start(lambda report, should_stop: "next")
    assert done.args == ["next"]
    qtbot.waitUntil(lambda: not controller.is_running(), timeout=60000)
