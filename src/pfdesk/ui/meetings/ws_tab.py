"""What every tab of a meeting's workspace is: the meeting it shows and a ``changed`` signal."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from pfdesk.services.context import ServiceContext


class WorkspaceTab(QWidget):
    """A tab of one meeting (概要, 出欠, 次第・資料, 議事録, 宿題事項).

    ``changed`` tells the workspace that something was saved, so it refreshes its header.
    """

    changed = Signal()

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id = ctx, meeting_id

    def refresh(self) -> None:
        """Reload what the tab shows."""

    def _done(self) -> None:
        """After a change: reload, then tell the workspace."""
        self.refresh()
        self.changed.emit()
