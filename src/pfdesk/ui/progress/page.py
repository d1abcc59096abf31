"""進行管理: every open case for a case-reviewing meeting, its findings; and the 地域課題.

The 台帳 shows each case as the meeting's papers do (names only where its legal basis
allows). 「所見を記録」 records 継続 / 見直し / 終結候補 / 支援会議へ for the selected
cases; they go onto each case's timeline and set its next review date.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import support_codes as sc
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.area_issues import report
from pfdesk.services.context import ServiceContext
from pfdesk.services.progress import findings, ledger
from pfdesk.ui.area_issues.tab import AreaIssuesTab
from pfdesk.ui.consultations.dialogs import FormDialog
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine, code_combo
from pfdesk.ui.fit_layouts import FlowLayout
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.progress.models import LedgerModel
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.widgets import ask_save_path, close_buttons, table_view


class FindingDialog(FormDialog):
    """所見を記録 for one or more cases of the meeting."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int, lines,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("進行管理の所見"), _("記録する"), parent)
        self.ctx, self.meeting_id, self.lines = ctx, meeting_id, list(lines)
        self.set_intro(_("選んだケース（{n}件）: {codes}").format(
            n=len(self.lines), codes="、".join(ln.code for ln in self.lines[:8])
            + ("…" if len(self.lines) > 8 else "")))
        self.finding = code_combo(sc.FINDINGS, blank=_("（選んでください）"))
        self.finding.setCurrentIndex(0)
        self.note = QLineEdit()
        self.next_review = DateLine(_("次回確認日"))
        if len(self.lines) == 1 and self.lines[0].finding:
            ln = self.lines[0]
            self.finding.setCurrentIndex(self.finding.findData(ln.finding))
            self.note.setText(ln.finding_note)
            self.next_review.set_value(ln.finding_next)
        self.form.addRow(_("所見 *"), self.finding)
        self.form.addRow(_("メモ"), self.note)
        self.form.addRow(_("次回確認日"), self.next_review)

    def submit(self):
        finding = self.finding.currentData() or ""
        day = self.next_review.value()
        return findings.record_findings(self.ctx, self.meeting_id, [
            findings.FindingInput(ln.case_id, finding, self.note.text(), day)
            for ln in self.lines])


class BodiesDialog(QDialog):
    """進行管理を行う会議体: 実務者会議 always; others by choice."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("進行管理を行う会議体"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("実務者会議のほかに、全ケースの進行管理を行う会議体にチェックを入れます。")))
        self.boxes: dict[int, QCheckBox] = {}
        for b in findings.body_choices(ctx):
            box = QCheckBox(b.name + (_("（実務者会議）") if b.fixed else ""))
            box.setChecked(b.reviews_cases)
            box.setEnabled(not b.fixed)
            box.toggled.connect(lambda on, body_id=b.id: self._set(body_id, on))
            self.boxes[b.id] = box
            lay.addWidget(box)
        lay.addWidget(close_buttons(self))

    def _set(self, body_id: int, on: bool) -> None:
        try:
            findings.set_reviews_cases(self.ctx, body_id, on)
        except Exception as e:  # noqa: BLE001 - shown; the box goes back
            self.boxes[body_id].blockSignals(True)
            self.boxes[body_id].setChecked(not on)
            self.boxes[body_id].blockSignals(False)
            show_error(self, e)


class ProgressPage(Page):
    """The 進行管理 page."""

    title = _("進行管理")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        self.ledger: ledger.ProgressLedger | None = None
        #: True while the 台帳 is being gathered off the GUI thread.
        self.loading = False
        self._request = 0  # the latest load asked for; older results are dropped
        self._area_stale = True
        self._sized = False  # column widths are measured once, on the first 台帳
        outer = page_layout(self, self.title)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        ledger_box = QWidget()
        lay = QVBoxLayout(ledger_box)
        self.tabs.addTab(ledger_box, _("進行管理台帳"))
        intro = QLabel(_("実務者会議などで、終結していないすべてのケースを確認します。"
                         "会議を選ぶと進行管理台帳を表示します。"))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        top = QHBoxLayout()
        self.meeting = QComboBox()
        # It takes the row's spare width; 240 keeps the page narrow enough at 150 % scaling.
        self.meeting.setMinimumWidth(240)
        self.meeting.currentIndexChanged.connect(lambda _i: self.load_ledger())
        self.bodies_button = QPushButton(_("進行管理を行う会議体…"))
        self.bodies_button.clicked.connect(self.edit_bodies)
        self.bodies_button.setVisible(ctx.actor.can(Permission.MEETING_WRITE))
        top.addWidget(QLabel(_("会議")))
        top.addWidget(self.meeting, 1)
        top.addWidget(self.bodies_button)
        lay.addLayout(top)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        row = FlowLayout()
        self.finding_button = QPushButton(_("所見を記録"))
        self.print_button = QPushButton(_("台帳を PDF に書き出す"))
        self.finding_button.setVisible(ctx.actor.can(Permission.MEETING_WRITE)
                                       and ctx.actor.can(Permission.CASE_WRITE))
        self.print_button.setVisible(ctx.actor.can(Permission.DOCUMENT_PRINT))
        self.finding_button.clicked.connect(self.record_finding)
        self.print_button.clicked.connect(self.print_ledger)
        row.addWidget(self.finding_button)
        row.addWidget(self.print_button)
        lay.addLayout(row)
        self.model = LedgerModel(self)
        self.table = table_view(self.model)
        # Widths from the first 40 rows: measuring every open case froze the page, and
        # 100 rows still took 0.1 s of the window's time at 18,000 open cases.
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.setSortingEnabled(True)
        # Soonest (and overdue) review first: what the meeting goes through first.
        self.table.sortByColumn(LedgerModel.REVIEW, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.record_finding())
        lay.addWidget(self.table, 1)
        self.area_tab = AreaIssuesTab(ctx=ctx, today_fy=report.current_fiscal_year(ctx))
        self.tabs.addTab(self.area_tab, _("地域課題"))
        self.tabs.currentChanged.connect(lambda _i: self._load_area_if_shown())

    def refresh(self) -> None:
        """Reload the meetings (keeping the one chosen) and the 台帳."""
        current = self.meeting.currentData()
        self.meeting.blockSignals(True)
        self.meeting.clear()
        for m in findings.review_meetings(self.ctx):
            mark = "" if m.status == "held" else _("（予定）")
            self.meeting.addItem(m.label + mark, m.id)
        index = self.meeting.findData(current)
        self.meeting.setCurrentIndex(index if index >= 0 else (0 if self.meeting.count() else -1))
        self.meeting.blockSignals(False)
        self.load_ledger()
        self._area_stale = True
        self._load_area_if_shown()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        """Let go of the 台帳 when another page is chosen: coming back reads it again.

        A large town's 台帳 is 18,000 lines; kept while other pages were used, the next
        visit held two of them at once while the new one was read.
        """
        super().hideEvent(event)
        if event.spontaneous():
            return  # the window minimized: the page is still the one chosen
        self._request += 1  # a 台帳 still being read is not shown when it arrives
        self.loading = False
        self.ledger = None
        self.model.set_rows([])

    def _load_area_if_shown(self) -> None:
        # The 地域課題 tab is read when it is looked at, not with every visit to the page.
        if self._area_stale and self.tabs.currentWidget() is self.area_tab:
            self._area_stale = False
            self.area_tab.load()

    def load_ledger(self) -> None:
        """Show the 台帳 of the chosen meeting (gathered off the GUI thread)."""
        mid = self.meeting.currentData()
        self._request += 1
        if mid is None:
            self.ledger = None
            self.loading = False
            self.model.set_rows([])
            self.summary.setText(_("進行管理を行う会議体（実務者会議）の会議がまだありません。"
                                   "「会議」の画面で会議を登録してください。"))
            return
        request = self._request
        self.loading = True
        if self.ledger is None or self.ledger.meeting_id != mid:
            self.summary.setText(_("進行管理台帳を読み込んでいます…"))
        ctx = self.ctx

        def failed(e: BaseException) -> None:
            if request == self._request:
                self.loading = False
                show_error(self, e)

        run_in_background(self, lambda: ledger.progress_ledger(ctx, mid),
                          title=_("進行管理台帳を読み込んでいます"), show_progress=False,
                          on_success=lambda led: self._show_ledger(request, led),
                          on_failure=failed)

    def _show_ledger(self, request: int, led: ledger.ProgressLedger) -> None:
        if request != self._request:
            return  # another meeting was chosen meanwhile
        self.loading = False
        self.ledger = led
        self.model.set_rows(led.lines)
        done = sum(1 for ln in led.lines if ln.finding)
        self.summary.setText(_("終結していないケース {n}件（見直し期限切れ {o}件・所見の記録済み {d}件）"
                               "　{note}").format(n=len(led.lines), o=led.overdue_count, d=done,
                                                note=led.note))
        if led.lines and not self._sized:
            # Once: later 台帳 (another meeting, a finding recorded) keep the widths.
            self._sized = True
            self.table.resizeColumnsToContents()
            header = self.table.horizontalHeader()
            for i in range(self.model.columnCount() - 1):
                header.resizeSection(i, min(header.sectionSize(i), 280))

    def selected_lines(self):
        """The ``ProgressLine``s of the selected rows."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows]

    def record_finding(self) -> None:
        """所見を記録 for the selected cases."""
        lines = self.selected_lines()
        if not lines or not self.finding_button.isVisible():
            if self.finding_button.isVisible():
                QMessageBox.information(self, _("所見を記録"), _("先に台帳からケースを選んでください。"))
            return
        d = FindingDialog(ctx=self.ctx, meeting_id=self.meeting.currentData(), lines=lines,
                          parent=self)
        if d.exec():
            self.load_ledger()

    def print_ledger(self) -> None:
        """Write the 台帳 as PDF where the user chooses (off the GUI thread)."""
        mid = self.meeting.currentData()
        if mid is None:
            return
        path = ask_save_path(self, _("進行管理台帳の保存先"), _("進行管理台帳.pdf"),
                             _("PDF (*.pdf)"), ".pdf")
        if not path:
            return
        ctx = self.ctx

        def done(result: tuple[int, int]) -> None:
            pages, count = result
            from pfdesk.ui.printing.preview import show_pdf_preview

            # Shown in the preview, to print from there.
            self.preview_window = show_pdf_preview(self, path, title=_("進行管理台帳"), note=_(
                "書き出しました（{p}ページ・{n}件）: {path}").format(p=pages, n=count, path=path))

        run_in_background(self, lambda: ledger.print_progress(ctx, mid, path),
                          title=_("進行管理台帳を書き出しています"), on_success=done)

    def edit_bodies(self) -> None:
        """進行管理を行う会議体 (then the meetings list follows)."""
        BodiesDialog(ctx=self.ctx, parent=self).exec()
        self.refresh()
