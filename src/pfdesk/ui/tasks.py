"""The one way to run work off the GUI thread, with progress, cancel and callbacks.

Database work is serialized on a single worker thread, so two background
tasks never write the store at once. A task callable may accept a
``progress(done, total, text)`` keyword and check ``cancelled()``.
"""

from __future__ import annotations

import gc
import inspect
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from pfdesk.core.i18n import _

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


class _GuiThreadCollector(QObject):
    """Python's cycle collector, run on the GUI thread only.

    Left automatic, a collection starts in whichever thread happens to allocate, often
    the worker in the middle of a large read. If it frees the last reference to a closed
    window or dialog (a widget and its connected lambdas form a cycle), Qt destroys the
    widget on the worker thread and the process crashes. Automatic collection is off
    once a worker exists; this timer collects instead, with the same thresholds.
    """

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(500)

    #: A full collection walks every object of a large town's lists: at most one in
    #: this many times its own duration (Python itself waits for the long-lived objects
    #: to grow by a quarter, a count it does not expose).
    FULL_PACE = 20

    _last_full = 0.0
    _full_cost = 0.0

    def collect(self) -> None:
        counts = gc.get_count()
        now = time.monotonic()
        if (counts[2] > self.thresholds[2]
                and now - self._last_full >= self.FULL_PACE * self._full_cost):
            gc.collect(2)
            self._last_full = time.monotonic()
            self._full_cost = self._last_full - now
            return
        for generation in (1, 0):  # the oldest younger generation due, as gc would
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


_collector: _GuiThreadCollector | None = None


def collect_garbage() -> None:
    """Run the collection due now, on the GUI thread (the timer does it every half second)."""
    if _collector is not None:
        _collector.collect()


def _serial_pool() -> QThreadPool:
    global _pool, _collector
    app = QCoreApplication.instance()
    if _collector is None and app is not None:  # before the first task reaches a worker
        _collector = _GuiThreadCollector(app)
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runner(QRunnable):
    """Runs one task on the worker thread.

    The worker lets go of the task's callable before it sends the result: the GUI thread
    holds the last references (to the page that asked, among others), so nothing of Qt's
    is ever freed on the worker.
    """

    def __init__(self, fn: Callable[..., Any], signals: _Signals, cancel: threading.Event):
        super().__init__()
        self.fn: Callable[..., Any] | None = fn
        self.signals, self.cancel = signals, cancel

    def run(self) -> None:
        ok, outcome = self._call()
        if ok:
            self.signals.succeeded.emit(outcome)
        else:  # reported on the GUI thread
            self.signals.failed.emit(outcome)

    def _call(self) -> tuple[bool, Any]:
        fn, self.fn = self.fn, None
        assert fn is not None
        kwargs: dict[str, Any] = {}
        params = inspect.signature(fn).parameters
        if "progress" in params:
            signals = self.signals
            kwargs["progress"] = lambda d, t, text="": signals.progress.emit(d, t, text)
        if "cancelled" in params:
            kwargs["cancelled"] = self.cancel.is_set
        try:
            result = fn(**kwargs)
        except BaseException as e:
            del fn  # the traceback keeps this frame, not the callable
            return False, e
        del fn
        return True, result


class Task(QObject):
    """A running background task; keep a reference until it finishes."""

    finished = Signal()

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        # Owned by the application, not by Python: the worker dropping its reference
        # never deletes it; finish() does, on the GUI thread.
        self.signals = _Signals(QCoreApplication.instance())
        self.dialog: QProgressDialog | None = None


_running: set[Task] = set()


def run_in_background(
    parent: QWidget | None,
    fn: Callable[..., Any],
    *,
    title: str,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    show_progress: bool = True,
    cancellable: bool = False,
) -> Task:
    """Run ``fn`` on the database worker; call back on the GUI thread when done.

    Failures go to ``on_failure`` or, by default, to the standard error dialog.
    """
    from pfdesk.ui.errors import show_error

    # The task is owned by _running, not by ``parent``: the page that asked may be
    # closed before the work finishes, and the result must still be delivered safely.
    task = Task(None)
    signals = task.signals
    held = [fn]  # the GUI thread's reference, released in finish()
    _running.add(task)
    if show_progress:
        dlg = QProgressDialog(title, _("中止") if cancellable else "", 0, 0, parent)
        dlg.setWindowTitle(title)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(400)
        dlg.setAutoClose(False)
        if not cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(task.cancel_event.set)
        task.dialog = dlg

        def on_progress(done: int, total: int, text: str) -> None:
            dlg.setMaximum(total)
            dlg.setValue(done)
            if text:
                dlg.setLabelText(text)

        signals.progress.connect(on_progress)

    def finish() -> bool:
        """Close the progress dialog; False when the widget that asked is gone."""
        if task.dialog is not None and shiboken6.isValid(task.dialog):
            task.dialog.reset()
            task.dialog.deleteLater()
        _running.discard(task)
        held.clear()
        # The Task can already be gone when the result arrives (deleted with the Qt
        # objects of a closing window or test); the result is still delivered.
        if shiboken6.isValid(task):
            task.finished.emit()
            task.deleteLater()
        # The connections hold these callbacks, which hold the task and the page that
        # asked: released here, on the GUI thread, so no cycle is left for the collector
        # and the worker's last reference to the signals frees nothing of Qt's.
        signals.succeeded.disconnect()
        signals.failed.disconnect()
        if show_progress:
            signals.progress.disconnect()
        signals.deleteLater()
        return parent is None or shiboken6.isValid(parent)

    def succeeded(result: Any) -> None:
        if finish() and on_success:
            on_success(result)

    def failed(exc: BaseException) -> None:
        if finish():
            (on_failure or (lambda e: show_error(parent, e)))(exc)
        else:
            log.error("background task failed after its window closed",
                      exc_info=(type(exc), exc, exc.__traceback__))

    signals.succeeded.connect(succeeded)
    signals.failed.connect(failed)
    _serial_pool().start(_Runner(fn, signals, task.cancel_event))
    return task


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until background work is done (used on exit and in tests)."""
    return _pool is None or _pool.waitForDone(timeout_ms)
