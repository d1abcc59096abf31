"""進行管理 from a meeting's minutes: the 台帳 of that meeting in a dialog, findings recorded.

The minutes tab of a case-reviewing body's meeting gets a row with a button opening it;
what is recorded here prints in the 会議録 as one line per case and goes onto each
case's timeline.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.progress import findings, ledger
from pfdesk.ui.errors import show_error
from pfdesk.ui.progress.models import LedgerModel
from pfdesk.ui.progress.page import FindingDialog
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.widgets import close_buttons, table_view


class LedgerDialog(QDialog):
    """The 台帳 of one meeting with 「所見を記録」."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id = ctx, meeting_id
        self.setWindowTitle(_("進行管理（ケースごとの所見）"))
        self.resize(1100, 640)
        lay = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.record_button = QPushButton(_("選んだケースの所見を記録"))
        self.record_button.setVisible(ctx.actor.can(Permission.MEETING_WRITE)
                                      and ctx.actor.can(Permission.CASE_WRITE))
        self.record_button.clicked.connect(self.record)
        lay.addWidget(self.record_button)
        self.model = LedgerModel(self)
        self.table = table_view(self.model)
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.doubleClicked.connect(lambda _i: self.record())
        lay.addWidget(self.table, 1)
        lay.addWidget(close_buttons(self))
        #: True while the 台帳 is being gathered off the GUI thread.
        self.loading = False
        self.load()

    def load(self) -> None:
        """Reload the 台帳 (gathered off the GUI thread)."""
        self.loading = True
        if not self.model.rows:
            self.summary.setText(_("進行管理台帳を読み込んでいます…"))
        ctx, meeting_id = self.ctx, self.meeting_id

        def failed(e: BaseException) -> None:
            self.loading = False
            show_error(self, e)

        run_in_background(self, lambda: ledger.progress_ledger(ctx, meeting_id),
                          title=_("進行管理台帳を読み込んでいます"), show_progress=False,
                          on_success=self._show, on_failure=failed)

    def _show(self, led: ledger.ProgressLedger) -> None:
        self.loading = False
        self.model.set_rows(led.lines)
        done = sum(1 for ln in led.lines if ln.finding)
        self.summary.setText(_("{m}　終結していないケース {n}件・所見の記録済み {d}件").format(
            m=led.meeting_label, n=len(led.lines), d=done))
        self.table.resizeColumnsToContents()

    def record(self) -> None:
        """所見を記録 for the selected rows."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows or not self.record_button.isVisible():
            if self.record_button.isVisible():
                QMessageBox.information(self, _("所見を記録"), _("先にケースを選んでください。"))
            return
        d = FindingDialog(ctx=self.ctx, meeting_id=self.meeting_id,
                          lines=[self.model.row_at(r) for r in rows], parent=self)
        if d.exec():
            self.load()


def findings_row(layout: QBoxLayout, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget) -> None:
    """Add the 進行管理 row to a minutes tab when the meeting's body reviews cases."""
    if not findings.meeting_reviews_cases(ctx, meeting_id):
        return
    row = QHBoxLayout()
    note = QLabel(_("進行管理: 終結していない全ケースの所見（継続・見直し・終結候補・支援会議へ）は"
                           "会議録に1件1行で載り、各ケースのタイムラインに残ります。"))
    note.setWordWrap(True)
    row.addWidget(note, 1)
    button = QPushButton(_("進行管理の所見…"))
    button.clicked.connect(lambda: LedgerDialog(ctx=ctx, meeting_id=meeting_id,
                                                parent=parent).exec())
    row.addWidget(button)
    layout.addLayout(row)
