"""A text box that never loses a word: it saves a draft shortly after typing stops.

``AutosaveTextEdit(ctx=..., draft_key=...)`` keeps the acting user's draft under
``draft_key`` via :mod:`pfdesk.services.drafts`. The screen that owns it calls
:meth:`AutosaveTextEdit.offer_restore` after filling in the saved text, and
:meth:`AutosaveTextEdit.discard_draft` once the record itself has been saved.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QWidget

from pfdesk.core.i18n import _
from pfdesk.services import drafts
from pfdesk.services.context import ServiceContext

log = logging.getLogger(__name__)

#: How long after the last keystroke the draft is written.
AUTOSAVE_DELAY_MS = 1000
#: While typing goes on without a pause, the draft is still written at least this often,
#: so a crash or power cut loses at most about two seconds of text.
AUTOSAVE_MAX_WAIT_MS = 2000


class AutosaveTextEdit(QPlainTextEdit):
    """A plain-text editor whose content is autosaved as a draft while the user types."""

    #: Emitted after a draft was written (the text saved).
    draft_saved = Signal(str)

    def __init__(self, *, ctx: ServiceContext, draft_key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.draft_key = draft_key
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_draft_now)
        # The pause timer restarts on every key; this one does not, so a long note typed
        # without stopping is still journaled every two seconds when the PC freezes or the
        # power goes.
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(AUTOSAVE_MAX_WAIT_MS)
        self._max_wait.timeout.connect(self._save_if_pending)
        self._suspended = False
        self.textChanged.connect(self._typed)
        app = QCoreApplication.instance()
        if app is not None:
            # The application ending (Windows sign-out, quit) never calls reject().
            app.aboutToQuit.connect(self._save_if_pending)

    def _typed(self) -> None:
        if not self._suspended:
            self._timer.start()
            if not self._max_wait.isActive():
                self._max_wait.start()

    def _save_if_pending(self) -> None:
        if self.pending():
            self.save_draft_now()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Write typed text at once when the box disappears (dialog closed by any path)."""
        self._save_if_pending()
        super().hideEvent(event)

    def set_text_quietly(self, text: str) -> None:
        """Show ``text`` (the saved record) without treating it as typing."""
        self._suspended = True
        try:
            self.setPlainText(text)
        finally:
            self._suspended = False

    def save_draft_now(self) -> None:
        """Write the draft at once (also called when the dialog closes unsaved)."""
        self._timer.stop()
        self._max_wait.stop()
        text = self.toPlainText()
        try:
            drafts.save_draft(self.ctx, self.draft_key, text)
        except Exception:  # noqa: BLE001 - typing must never be interrupted by a dialog
            log.exception("could not autosave draft %s", self.draft_key)
            return
        self.draft_saved.emit(text)

    def pending(self) -> bool:
        """Whether typed text is waiting for the autosave timer."""
        return self._timer.isActive()

    def found_draft(self) -> str | None:
        """The saved draft's text when it differs from what the box shows, else None."""
        draft = drafts.load_draft(self.ctx, self.draft_key)
        if draft is None or not draft.text.strip() or draft.text == self.toPlainText():
            return None
        return draft.text

    def offer_restore(self, *, ask=None) -> bool:
        """If an unsaved draft exists, ask whether to restore it; True when restored.

        ``ask(text) -> bool`` replaces the question dialog (tests, or screens with their own).
        """
        text = self.found_draft()
        if text is None:
            return False
        if ask is None:
            ask = self._ask
        if ask(text):
            self.setPlainText(text)
            return True
        self.discard_draft()
        return False

    def _ask(self, text: str) -> bool:
        preview = text if len(text) <= 200 else text[:200] + "…"
        answer = QMessageBox.question(
            self,
            _("保存されていない下書き"),
            _("前回、保存せずに閉じた入力内容（下書き）があります。復元しますか？\n\n{text}").format(
                text=preview),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def discard_draft(self) -> None:
        """Forget the draft: call after the record has been saved."""
        self._timer.stop()
        self._max_wait.stop()
        drafts.discard_draft(self.ctx, self.draft_key)
