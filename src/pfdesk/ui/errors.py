"""Showing failures: Japanese messages for known problems, a logged traceback for bugs."""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.paths import log_dir

log = logging.getLogger("pfdesk.ui")
_shown_bug = False
#: Set for ``--smoke-test``: no one is there to click a dialog, so a program error ends
#: the run with exit code 1 and the traceback on stderr.
_unattended = False


def show_error(parent: QWidget | None, exc: BaseException, *, title: str | None = None) -> None:
    """Tell the user what went wrong: a KnownError plainly, anything else as a bug."""
    if isinstance(exc, KnownError):
        log.info("known error shown: %s", exc.user_text())
        QMessageBox.warning(parent, title or _("確認してください"), exc.user_text())
        return
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    show_bug_once(parent)


def show_bug_once(parent: QWidget | None = None) -> None:
    """One dialog per run for program errors; the details are in the log file."""
    global _shown_bug
    if _shown_bug or QApplication.instance() is None:
        return
    _shown_bug = True
    QMessageBox.critical(
        parent,
        _("予期しないエラー"),
        _("プログラムの不具合により処理を完了できませんでした。\n"
          "入力済みのデータは保存されています。\n"
          "詳しい記録はログファイルにあります:\n{path}").format(path=log_dir() / "pfdesk.log"),
    )


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, KnownError):
        show_error(QApplication.activeWindow(), exc)
        return
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("uncaught exception:\n%s", text)
    if _unattended:
        print(text, file=sys.stderr, flush=True)
        if QApplication.instance() is not None:
            QApplication.exit(1)  # a slot's error: the event loop ends with 1
        return  # an error outside the loop: Python itself then exits with 1
    show_bug_once(QApplication.activeWindow())


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(mode, context, message) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(mode, logging.WARNING), message)


def install_handlers(*, unattended: bool = False) -> None:
    """Route uncaught exceptions and Qt's own messages into logging and dialogs.

    ``unattended`` (the smoke test): a program error shows no dialog but ends the run.
    """
    global _unattended
    _unattended = unattended
    sys.excepthook = _excepthook
    qInstallMessageHandler(_qt_message)
