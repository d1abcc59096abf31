"""Background work never frees the window's objects on the worker thread.

A closed page or dialog and the lambdas connected to it form a reference cycle. Had the
collector run on the worker in the middle of a large read, Qt would destroy the page
there and the process would crash, as it once did while the 関係機関 page loaded.
"""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QWidget

from pfdesk.ui import tasks


class _Marker:
    """Records the thread that frees it."""

    def __init__(self, freed_on: list[int]) -> None:
        self.freed_on = freed_on
        self.me = self  # a cycle: only the collector frees it

    def __del__(self) -> None:
        self.freed_on.append(threading.get_ident())


def test_a_cycle_left_by_a_closed_window_is_freed_on_the_gui_thread(qtbot):
    done = []
    tasks.run_in_background(None, lambda: None, title="", show_progress=False,
                            on_success=done.append)
    qtbot.waitUntil(lambda: bool(done))
    freed_on: list[int] = []
    _Marker(freed_on)

    def allocate():  # a large read: far more new containers than a collection waits for
        return len([[i] for i in range(300_000)])

    tasks.run_in_background(None, allocate, title="", show_progress=False,
                            on_success=done.append)
    qtbot.waitUntil(lambda: len(done) == 2)
    assert done[1] == 300_000
    gui = threading.get_ident()
    # Not on the worker in the middle of its read (the GUI thread's timer may have been
    # due meanwhile, after what earlier tests left).
    assert freed_on in ([], [gui])
    kept = [[i] for i in range(5000)]  # the window goes on working: a collection falls due
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)  # the GUI thread's timer collects
    assert len(kept) == 5000
    assert freed_on == [gui]


def test_a_finished_task_lets_go_of_the_page_that_asked(qtbot):
    page = QWidget()
    results = []

    def on_success(result, page=page):
        results.append((page.windowTitle(), result))

    page.setWindowTitle("関係機関")
    tasks.run_in_background(page, lambda: 42, title="", show_progress=False,
                            on_success=on_success)
    qtbot.waitUntil(lambda: bool(results))
    assert results == [("関係機関", 42)]
    callback, widget = weakref.ref(on_success), weakref.ref(page)
    del on_success, page
    qtbot.wait(20)
    gc.collect()
    # Nothing of the finished task (its connections, its callbacks) still holds the page.
    assert callback() is None and widget() is None
