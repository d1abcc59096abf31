"""Start-up only: paths, logging, single instance, open the store, show the window."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pfdesk.core.i18n import _

if TYPE_CHECKING:
    from pfdesk.services.context import ServiceContext

log = logging.getLogger(__name__)


def _startup_error(text: str, *, quiet: bool = False) -> int:
    from PySide6.QtWidgets import QMessageBox

    if not quiet:  # the smoke test never waits for a click
        QMessageBox.critical(None, _("pfdesk を開けません"), text)
    print(text, file=sys.stderr)
    return 2


def _open_and_sign_in(args, paths):
    """The open store and the signed-in user, or None when the user cancels the login."""
    from pfdesk.cli._runtime import open_for_cli, resolve_actor
    from pfdesk.services.accounts import has_accounts, is_demo_store
    from pfdesk.services.context import Actor
    from pfdesk.store.crypto import is_encrypted
    from pfdesk.ui.login import sign_in

    if args.smoke_test:
        # No dialogs: the demo account, or --user with PFDESK_PASSWORD, or a clear error.
        store = open_for_cli(args)
        try:
            return store, resolve_actor(store, args)
        except BaseException:
            store.close()
            raise
    from pfdesk.store.health import ready_to_open

    # An interrupted restore is finished first; a damaged or vanished store leads to
    # recovery, not to a password prompt.
    ready_to_open(paths)
    if not args.demo and is_encrypted(paths):
        return sign_in(paths, None, demo=False, user=args.user)
    store = open_for_cli(args)
    if not has_accounts(store):
        return store, Actor.local_admin()
    # A demo folder opened with --data-dir is still the demo town, and says so.
    store.is_demo = is_demo_store(store)
    result = sign_in(paths, store, demo=store.is_demo, user=args.user)
    if result is None:
        store.close()
    return result


def _recovery_screen(paths, problem, *, show: bool) -> bool:
    """True when the store is usable again: an interrupted swap finished, or a backup restored."""
    from pfdesk.store.safefile import recover_interrupted

    if recover_interrupted(paths):
        return True
    if not show:
        return False
    from pfdesk.ui.recovery import RecoveryDialog

    return RecoveryDialog(paths, problem).exec() == RecoveryDialog.DialogCode.Accepted


def bring_dialog_forward() -> None:
    """Raise the dialog the running pfdesk waits on (sign-in, set-up), if there is one."""
    from PySide6.QtWidgets import QApplication

    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        dialog.showNormal()
        dialog.raise_()
        dialog.activateWindow()


def start_window(window) -> None:
    """Show the home page, then keep what start-up made out of the garbage collector's way.

    The modules, the window and the home page live as long as the process. Frozen
    (``gc.freeze``), a full collection no longer walks them: otherwise one ran whenever a
    background task made many objects (the 進行管理台帳 of a large town) and held the
    window 50-60 ms each time.
    """
    import gc

    window.start()
    gc.freeze()


def run_gui(args) -> int:
    """Open the window on the store the options name. Returns the exit code."""
    started = time.perf_counter()
    if getattr(args, "screenshots", None):
        from pfdesk.ui.tour import run_tour_cli

        return run_tour_cli(args)  # offscreen, before any QApplication exists
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from pfdesk.cli._runtime import data_paths
    from pfdesk.core.errors import KnownError, StoreUnusable
    from pfdesk.services.context import ServiceContext
    from pfdesk.ui.errors import install_handlers
    from pfdesk.ui.fonts import apply_japanese_font
    from pfdesk.ui.single_instance import SingleInstance
    from pfdesk.ui.widgets import application

    app = application()
    app.setApplicationName("pfdesk")
    app.setApplicationDisplayName("pfdesk")
    from PySide6.QtGui import QIcon

    from pfdesk.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "pfdesk.png")))
    install_handlers(unattended=bool(args.smoke_test))
    from pfdesk.ui.translations import install_qt_translations

    install_qt_translations(app)  # はい / いいえ / キャンセル on Qt's own buttons
    from pfdesk.ui.window_fit import install_window_fitter

    install_window_fitter(app)  # every window fits 1366×768 and keeps its size per user
    font = apply_japanese_font(app)
    from pfdesk.ui.theme import apply_theme

    apply_theme(app)  # one look: colours, type sizes (設定 → 文字の大きさ), icons

    paths = data_paths(args)
    paths.root.mkdir(parents=True, exist_ok=True)
    if not args.smoke_test:
        from pfdesk.ui.settings.database import ask_database_password

        # A shared database whose password is not in the keyring asks for it here.
        args.ask_database_password = ask_database_password
    instance = SingleInstance(Path(paths.root))
    if not args.smoke_test and instance.notify_running():
        print(_("pfdesk はすでに起動しています。そのウィンドウを前面に出しました。"))
        return 0
    instance.listen()
    # A second start during sign-in or first set-up brings the waiting dialog forward.
    instance.activated.connect(bring_dialog_forward)
    if not args.smoke_test and not getattr(args, "demo", False):
        from pfdesk.ui.moving.move_in import offer_move_in

        offer_move_in(paths)  # a new PC: the old PC's data first, when the user has it

    try:
        opened = _open_and_sign_in(args, paths)
    except StoreUnusable as e:
        # Never a new empty store, never a traceback: finish an interrupted restore or
        # encryption, else the recovery screen (no dialog in a smoke test).
        if not _recovery_screen(paths, e, show=not args.smoke_test):
            return _startup_error(e.user_text(), quiet=True)
        try:
            opened = _open_and_sign_in(args, paths)
        except KnownError as e2:
            return _startup_error(e2.user_text())
    except KnownError as e:
        return _startup_error(e.user_text(), quiet=args.smoke_test)
    if opened is None:
        return 0
    store, actor = opened
    ctx = ServiceContext(store=store, actor=actor)

    from pfdesk.services.settings import is_set_up
    from pfdesk.ui.first_start import FirstStartDialog
    from pfdesk.ui.main_window import MainWindow

    if not args.smoke_test and not is_set_up(ctx):
        if FirstStartDialog(ctx=ctx).exec() != FirstStartDialog.DialogCode.Accepted:
            store.close()
            return 0
    if not args.smoke_test:
        signed_in = _accounts_at_start(ctx)
        if signed_in is None:
            store.close()
            return 0
        ctx = signed_in

    window = MainWindow(ctx=ctx)
    instance.activated.connect(window.bring_forward)
    if font is None and not args.smoke_test:
        QTimer.singleShot(0, lambda: QMessageBox.information(
            window, _("日本語フォント"),
            _("日本語フォント（BIZ UDゴシック、游ゴシック、IPAexゴシックなど）が見つかりません。"
              "文字の形が正しく表示されないことがあります。PDF の作成にはフォントが必要です。"),
        ))
    window.show()
    if store.notices and not args.smoke_test:  # an interrupted operation finished, a check
        QTimer.singleShot(0, lambda: QMessageBox.information(
            window, _("データの点検"), "\n\n".join(store.notices)))
    if args.smoke_test:
        QTimer.singleShot(0, lambda: _smoke_check(app, window, started))
        # Never hang a build check: a page that waits for a click fails the test.
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: _smoke_fail(app, "timed out"))
    else:
        QTimer.singleShot(0, lambda: start_window(window))
        from pfdesk.ui import auto_backup

        auto_backup.schedule_daily(window, ctx)  # the first start of the day
    code = app.exec()
    from pfdesk.ui.tasks import wait_for_all

    wait_for_all()
    if not args.smoke_test:
        from pfdesk.ui import auto_backup

        auto_backup.on_close(ctx)
    if ctx.actor.user_id is not None:
        from pfdesk.services.accounts import logout

        logout(ctx)
    store.close()
    return code


SMOKE_TIMEOUT_MS = 120_000


def _smoke_fail(app, why: str) -> None:
    print(f"pfdesk smoke test failed: {why}", file=sys.stderr, flush=True)
    app.exit(1)


def _smoke_check(app, window, started: float) -> None:
    """Build and load every page without dialogs; print the ready line or fail (exit 1).

    Every page is imported and filled, so an installed copy missing a module or a
    resource fails here instead of in front of a user.
    """
    from PySide6.QtCore import QTimer

    from pfdesk.ui.main_window import PAGES

    try:
        for index in range(len(PAGES)):
            window.page(index).refresh()
        window.start()
    except Exception as e:  # noqa: BLE001 - reported as the test's result
        log.error("smoke test failed", exc_info=True)
        _smoke_fail(app, repr(e))
        return
    ms = (time.perf_counter() - started) * 1000
    print(f"pfdesk ready in {ms:.0f} ms", flush=True)
    QTimer.singleShot(0, app.quit)


def _accounts_at_start(ctx: ServiceContext) -> ServiceContext | None:
    """Ask for the first administrator, or a new password set by an administrator."""
    from pfdesk.services.accounts import must_change_password
    from pfdesk.ui.security.first_admin import FirstAdminDialog
    from pfdesk.ui.security.password import ChangePasswordDialog

    if ctx.actor.user_id is None:
        dlg = FirstAdminDialog(ctx=ctx)
        if dlg.exec() != FirstAdminDialog.DialogCode.Accepted:
            return None
        return dlg.ctx
    if must_change_password(ctx.store, ctx.actor):
        if ChangePasswordDialog(ctx=ctx, forced=True).exec() != ChangePasswordDialog.DialogCode.Accepted:
            return None
    return ctx


def main() -> int:  # pragma: no cover - convenience for frozen builds
    """Run as ``python -m pfdesk.app``."""
    from pfdesk.__main__ import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PFDESK_LOG_CONSOLE", "")
    sys.exit(main())
