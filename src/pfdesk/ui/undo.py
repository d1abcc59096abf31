"""The message bar after a save: 「相談記録を保存しました　［取り消し］」, for a short while.

A form that saved something hands :meth:`UndoBar.offer` the :class:`~pfdesk.services.undo.Undo`
the services describe; one click on 取り消し (or Ctrl+Z while no text field has the focus)
takes the save back through :func:`pfdesk.services.undo.revert`. The previous values stay in
this widget's memory only and are dropped when the offer ends.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.services import undo as undo_service
from pfdesk.services.context import ServiceContext
from pfdesk.ui.errors import show_error

#: How long the offer stays (milliseconds); the note after taking back stays shorter.
OFFER_MS = 20_000
NOTE_MS = 6_000


def _typing_in_text_field() -> bool:
    """Whether Ctrl+Z belongs to a text field (its own undo of typing) rather than the bar."""
    w = QApplication.focusWidget()
    if isinstance(w, QLineEdit | QAbstractSpinBox):
        return not (w.isReadOnly() if isinstance(w, QLineEdit) else w.isReadOnly())
    if isinstance(w, QPlainTextEdit | QTextEdit):
        return not w.isReadOnly()
    return False


class UndoBar(QFrame):
    """A slim bar above a form's content; hidden until a save is offered for taking back.

    ``changed`` is emitted after 取り消し (done or refused), so the host shows the record again.
    """

    changed = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("undoBar")
        self.setStyleSheet(
            "#undoBar { background:#eef4fb; border:1px solid #a9c4e4; border-radius:4px; }")
        self.pending: undo_service.Undo | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        self.message = QLabel("")
        self.message.setObjectName("undoMessage")
        self.button = QPushButton(_("取り消し"))
        self.button.setToolTip(_("いま保存した内容を取り消します（Ctrl+Z）"))
        self.button.clicked.connect(self.take_back)
        row.addWidget(self.message, 1)
        row.addWidget(self.button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear)
        # Active only while the bar is shown; a text field keeps Ctrl+Z for its own typing.
        # An action (not a bare QShortcut) so ヘルプ → キーボード操作の一覧 lists the key.
        self.shortcut = QAction(_("直前の保存を取り消す（保存の直後に表示される間）"), self)
        self.shortcut.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.shortcut.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.triggered.connect(self._shortcut)
        self.addAction(self.shortcut)
        self.hide()

    def offer(self, undo: undo_service.Undo) -> None:
        """Offer to take ``undo`` back (only to users allowed to; a 閲覧者 never sees it)."""
        if not undo_service.can_offer(self.ctx.actor, undo):
            self.clear()
            return
        self.pending = undo
        self.message.setText(undo.message)
        self.button.show()
        self.show()
        self.timer.start(OFFER_MS)

    def clear(self) -> None:
        """End the offer and forget the previous values."""
        self.timer.stop()
        self.pending = None
        self.hide()

    def take_back(self) -> None:
        """取り消し: revert the offered save; a refusal is shown and the offer ends."""
        undo = self.pending
        if undo is None:
            return
        self.pending = None
        try:
            done = undo_service.revert(self.ctx, undo)
        except Exception as e:  # noqa: BLE001 - shown; nothing was changed
            self.clear()
            show_error(self, e)
            self.changed.emit()  # the record changed elsewhere: show it as it is now
            return
        self.message.setText(done)
        self.button.hide()
        self.show()
        self.timer.start(NOTE_MS)
        self.changed.emit()

    def _shortcut(self) -> None:
        if self.pending is not None and not _typing_in_text_field():
            self.take_back()
