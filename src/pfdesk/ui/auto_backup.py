"""Automatic backups from the window: the first start of the day and every close.

The daily one runs on the database worker a few seconds after the window
opens, without a progress dialog; a failure is shown once, plainly. The one on
close runs after the window is gone, before the store is released.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.backup import auto_backup, auto_backup_due
from pfdesk.services.context import ServiceContext
from pfdesk.ui.errors import show_error
from pfdesk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

DAILY_DELAY_MS = 5_000


def schedule_daily(window: QWidget, ctx: ServiceContext) -> bool:
    """Make today's first automatic backup soon after start; whether one was due."""
    if not ctx.actor.can(Permission.BACKUP) or not auto_backup_due(ctx.store.paths):
        return False

    def failed(e: BaseException) -> None:
        log.warning("daily backup failed: %s", e)
        if isinstance(e, KnownError):
            show_error(window, e, title=_("自動バックアップができませんでした"))

    def done(info) -> None:
        if info is not None and info.warning:
            show_error(window, KnownError(info.warning), title=_("自動バックアップ"))

    QTimer.singleShot(DAILY_DELAY_MS, lambda: run_in_background(
        window, lambda: auto_backup(ctx, "daily"), title=_("自動バックアップ"),
        on_success=done, on_failure=failed, show_progress=False))
    return True


def on_close(ctx: ServiceContext) -> None:
    """The backup on close; a failure is logged (the window is already gone)."""
    if not ctx.actor.can(Permission.BACKUP):
        return
    try:
        auto_backup(ctx, "close")
    except KnownError as e:
        log.warning("backup on close failed: %s", e.user_text())
    except Exception:
        log.exception("backup on close failed")
