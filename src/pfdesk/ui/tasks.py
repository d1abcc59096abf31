"""The one way to run work off the GUI thread, with progress, cancel and callbacks.

Database work is serialized on a single worker thread, so two background
tasks never write the store at once. A task callable may accept a
``progress(done, total, text)`` keyword and check ``cancelled()``.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from pfdesk.core.i18n import _

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


def _serial_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runner(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, cancel: threading.Event):
        super().__init__()
        self.fn, self.signals, self.cancel = fn, signals, cancel

    def run(self) -> None:
        kwargs: dict[str, Any] = {}
        params = inspect.signature(self.fn).parameters
        if "progress" in params:
            kwargs["progress"] = lambda d, t, text="": self.signals.progress.emit(d, t, text)
        if "cancelled" in params:
            kwargs["cancelled"] = self.cancel.is_set
        try:
            result = self.fn(**kwargs)
        except BaseException as e:  # reported on the GUI thread
            self.signals.failed.emit(e)
        else:
            self.signals.succeeded.emit(result)


class Task(QObject):
    """A running background task; keep a reference until it finishes."""

    finished = Signal()

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.signals = _Signals()
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

        task.signals.progress.connect(on_progress)

    def finish() -> bool:
        """Close the progress dialog; False when the widget that asked is gone."""
        if task.dialog is not None and shiboken6.isValid(task.dialog):
            task.dialog.reset()
            task.dialog.deleteLater()
        _running.discard(task)
        # The Task can already be gone when the result arrives (deleted with the Qt
        # objects of a closing window or test); the result is still delivered.
        if shiboken6.isValid(task):
            task.finished.emit()
            task.deleteLater()
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

    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    _serial_pool().start(_Runner(fn, task.signals, task.cancel_event))
    return task


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until background work is done (used on exit and in tests)."""
    return _serial_pool().waitForDone(timeout_ms)
