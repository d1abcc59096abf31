"""Idle lock: after N minutes without input the window's content is hidden behind a password.

The content widget is taken out of the window (not merely covered), so nothing
of a case stays on screen or in the widget tree while locked.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.services import accounts
from pfdesk.services.context import ServiceContext
from pfdesk.ui.widgets import error_label, password_edit, title_label

#: Events that count as the user being at the PC.
ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
            QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class LockScreen(QWidget):
    """What the window shows while locked: who is signed in and a password field."""

    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        box = QWidget()
        box.setObjectName("lockBox")
        box.setStyleSheet("#lockBox { background: #f4f6f8; border: 1px solid #ccd; }")
        form = QFormLayout(box)
        form.setContentsMargins(24, 20, 24, 20)
        form.addRow(title_label(_("画面をロックしています"), 1.5))
        form.addRow(QLabel(_("一定時間操作がなかったため、個人情報を隠しました。\n"
                             "続けるには、パスワードを入力してください。")))
        form.addRow(_("利用者"), QLabel(ctx.actor.display_name))
        self.password = password_edit()
        self.password.returnPressed.connect(self.try_unlock)
        form.addRow(_("パスワード"), self.password)
        self.error = error_label()
        form.addRow(self.error)
        buttons = QHBoxLayout()
        quit_button = QPushButton(_("サインアウトして終了"))
        quit_button.clicked.connect(self.quit_requested)
        self.unlock_button = QPushButton(_("ロックを解除"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        buttons.addWidget(quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        form.addRow(buttons)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def try_unlock(self) -> None:
        """Check the password; a wrong one counts towards the account lock-out."""
        if accounts.confirm_password(self.ctx, self.password.text()):
            self.password.clear()
            self.error.setText("")
            self.unlocked.emit()
            return
        self.password.clear()
        self.error.setText(_("パスワードが違います。5回続けて間違えると、しばらくロックされます。"))


class IdleLock(QObject):
    """Watches input to the application and locks ``window`` after ``minutes`` idle."""

    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow, *, ctx: ServiceContext, minutes: int) -> None:
        super().__init__(window)
        self.window, self.ctx, self.minutes = window, ctx, minutes
        self.last_activity = time.monotonic()
        self.screen: LockScreen | None = None
        self._content: QWidget | None = None
        self._covers: list[LockScreen] = []
        self._disabled: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        if self.enabled:
            app = QApplication.instance()
            assert app is not None  # a window exists
            app.installEventFilter(self)
            self.timer.start()

    @property
    def enabled(self) -> bool:
        """Only signed-in accounts have a password to unlock with."""
        return self.ctx.actor.user_id is not None and self.minutes > 0

    @property
    def is_locked(self) -> bool:
        """Whether the content is hidden now."""
        return self.screen is not None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        """Note activity (never swallows the event)."""
        if event.type() in ACTIVITY:
            self.last_activity = time.monotonic()
        return False

    def check(self, now: float | None = None) -> None:
        """Lock when the last input is older than the idle time."""
        idle = (now if now is not None else time.monotonic()) - self.last_activity
        if self.enabled and not self.is_locked and idle >= self.minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Hide the content (and menus) behind the lock screen."""
        if self.is_locked or self.ctx.actor.user_id is None:
            return
        self._covers = []
        self._disabled = []
        for w in QApplication.topLevelWidgets():
            # Open dialogs may show personal data too. Hiding one would end its exec() and
            # could lose what was typed, so it is covered by its own lock screen instead.
            if w is not self.window and w.isVisible() and w.isWindow():
                # Behind the cover the dialog's fields are disabled (their text kept), so
                # neither Tab nor typing the password can reach the note being written.
                for child in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
                    if child.isEnabled() and not child.isWindow():
                        child.setEnabled(False)
                        self._disabled.append(child)
                cover = LockScreen(ctx=self.ctx, parent=w)
                cover.setAutoFillBackground(True)
                cover.setGeometry(w.rect())
                cover.unlocked.connect(self.unlock)
                cover.quit_requested.connect(self.window.close)
                cover.show()
                cover.raise_()
                self._covers.append(cover)
                if w is QApplication.activeModalWidget():
                    cover.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self._content = self.window.takeCentralWidget()
        self.screen = LockScreen(ctx=self.ctx)
        self.screen.unlocked.connect(self.unlock)
        self.screen.quit_requested.connect(self.window.close)
        self.window.setCentralWidget(self.screen)
        self.screen.show()
        self.window.menuBar().setEnabled(False)
        self.screen.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        """Put the content back."""
        if not self.is_locked:
            return
        assert self._content is not None  # kept while locked
        cover = self.window.takeCentralWidget()
        if cover is not None:
            cover.deleteLater()
        self.window.setCentralWidget(self._content)
        self.screen, self._content = None, None
        self.window.menuBar().setEnabled(True)
        for cover in self._covers:
            cover.deleteLater()
        self._covers = []
        for child in self._disabled:
            if shiboken6.isValid(child):
                child.setEnabled(True)
        self._disabled = []
        self.last_activity = time.monotonic()
        self.locked_changed.emit(False)
