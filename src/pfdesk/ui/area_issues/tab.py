"""地域課題 on the 進行管理 page: the 年度's 集計, the tags of its agenda items, the PDF."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services.area_issues import report, tags
from pfdesk.services.context import ServiceContext
from pfdesk.ui.area_issues.dialogs import IssuesDialog
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import FlowLayout, group
from pfdesk.ui.widgets import ask_save_path


class AreaIssuesTab(QWidget):
    """The 集計 of one 年度 and the agenda items of its meetings with their 地域課題."""

    def __init__(self, *, ctx: ServiceContext, today_fy: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        # Both rows wrap on a narrow window (150 % scaling, 特大 text).
        top = FlowLayout(spacing=16)
        self.year = QComboBox()
        for fy in range(today_fy, today_fy - 6, -1):
            self.year.addItem(format_fiscal_year(fy), fy)
        self.year.currentIndexChanged.connect(lambda _i: self.load())
        self.print_button = QPushButton(_("地域課題の集計を PDF に書き出す（全体会の資料）"))
        self.print_button.clicked.connect(self.print_report)
        self.print_button.setVisible(ctx.actor.can(Permission.DOCUMENT_PRINT))
        top.addWidget(group(QLabel(_("年度")), self.year))
        top.addWidget(self.print_button)
        lay.addLayout(top)
        self.counts = QTableWidget(0, 3)
        self.counts.setHorizontalHeaderLabels([_("地域課題"), _("ケース数"), _("議題数")])
        self.counts.horizontalHeader().setStretchLastSection(True)
        self.counts.verticalHeader().hide()
        lay.addWidget(self.counts, 1)
        row = FlowLayout(spacing=16)
        row.addWidget(QLabel(_("この年度の会議の議題（選んで「議題に地域課題を付ける」）")))
        self.tag_button = QPushButton(_("議題に地域課題を付ける"))
        self.tag_button.clicked.connect(self.tag_item)
        self.tag_button.setVisible(ctx.actor.can(Permission.MEETING_WRITE))
        row.addWidget(self.tag_button)
        lay.addLayout(row)
        self.items = QTableWidget(0, 3)
        self.items.setHorizontalHeaderLabels([_("会議"), _("議題"), _("地域課題")])
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.verticalHeader().hide()
        self.items.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.items.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay.addWidget(self.items, 1)
        self.item_ids: list[int] = []

    def load(self) -> None:
        """Show the chosen 年度."""
        fy = self.year.currentData()
        rep = report.area_issue_report(self.ctx, fy)
        self.counts.setRowCount(len(rep.rows))
        for i, r in enumerate(rep.rows):
            for j, v in enumerate((r.label, str(r.cases), str(r.items))):
                self.counts.setItem(i, j, QTableWidgetItem(v))
        labels = {i.key: i.label for i in tags.list_issues(self.ctx)}
        rows = [(it.id, it.meeting, it.title, "、".join(labels.get(k, k) for k in it.issues))
                for it in tags.items_of_year(self.ctx, fy)]
        self.item_ids = [r[0] for r in rows]
        self.items.setRowCount(len(rows))
        for i, (_id, meeting, title, issues) in enumerate(rows):
            for j, v in enumerate((meeting, title, issues)):
                self.items.setItem(i, j, QTableWidgetItem(v))
        self.items.resizeColumnsToContents()
        self.counts.resizeColumnsToContents()

    def tag_item(self) -> None:
        """議題に地域課題を付ける for the selected agenda item."""
        row = self.items.currentRow()
        if row < 0:
            QMessageBox.information(self, _("地域課題"), _("先に議題を選んでください。"))
            return
        item_id = self.item_ids[row]
        title = self.items.item(row, 1)
        shown = tags.item_issues(self.ctx, item_id)  # a tag set elsewhere meanwhile is kept
        d = IssuesDialog(ctx=self.ctx, what=_("議題「{t}」").format(t=title.text() if title else ""),
                         current=shown,
                         save=lambda keys: tags.set_item_issues(self.ctx, item_id, keys,
                                                                seen=shown),
                         parent=self)
        if d.exec():
            self.load()

    def print_report(self) -> None:
        """Write the 集計 as PDF."""
        fy = self.year.currentData()
        path = ask_save_path(self, _("地域課題の集計の保存先"),
                             _("地域課題の集計_{fy}.pdf").format(fy=format_fiscal_year(fy)),
                             _("PDF (*.pdf)"), ".pdf")
        if not path:
            return
        try:
            pages = report.print_area_issues(self.ctx, fy, path)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        from pfdesk.ui.printing.preview import show_pdf_preview

        self.preview_window = show_pdf_preview(
            self, path, title=_("地域課題の集計"),
            note=_("書き出しました（{p}ページ）: {path}").format(p=pages, path=path))
