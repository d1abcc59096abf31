"""管理 → 監査ログ: who did what to which records, filtered, verified and exported."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.audit_log import (
    AuditFilter,
    audit_choices,
    export_audit,
    search_audit,
    target_label,
    verify_audit,
)
from pfdesk.services.context import ServiceContext
from pfdesk.ui.errors import show_error
from pfdesk.ui.security.table import RowsModel
from pfdesk.ui.security.widgets import export_csv
from pfdesk.ui.widgets import ask_save_path, close_buttons, table_view

PAGE = 500
COLUMNS = (
    (_("番号"), lambda e: e.id),
    (_("日時"), lambda e: e.at.strftime("%Y-%m-%d %H:%M:%S")),
    (_("利用者"), lambda e: e.user_name),
    (_("操作"), lambda e: e.action_label),
    (_("対象"), lambda e: e.target_label),
    (_("対象ID"), lambda e: e.target_ids),
    (_("詳細"), lambda e: e.detail),
)


def _to_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class AuditDialog(QDialog):
    """Filters on top, the newest entries below, 検証 and 書き出し at the bottom."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None,
                 case_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("監査ログ"))
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.user = QComboBox()
        self.area = QComboBox()
        self.target = QComboBox()
        self.target_id = QLineEdit()
        self.target_id.setPlaceholderText(_("例: 12"))
        self.target_id.setMaximumWidth(90)
        self.use_period = QCheckBox(_("期間"))
        today = QDate.currentDate()
        self.start = QDateEdit(today.addMonths(-1))
        self.end = QDateEdit(today)
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        grid.addWidget(QLabel(_("利用者")), 0, 0)
        grid.addWidget(self.user, 0, 1)
        grid.addWidget(QLabel(_("操作")), 0, 2)
        grid.addWidget(self.area, 0, 3)
        grid.addWidget(QLabel(_("対象")), 0, 4)
        grid.addWidget(self.target, 0, 5)
        grid.addWidget(QLabel(_("ID")), 0, 6)
        grid.addWidget(self.target_id, 0, 7)
        grid.addWidget(self.use_period, 1, 0)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("〜"))
        period.addWidget(self.end)
        period.addStretch(1)
        grid.addLayout(period, 1, 1, 1, 3)
        search = QPushButton(_("絞り込む"))
        search.setDefault(True)
        search.clicked.connect(self.refresh)
        grid.addWidget(search, 1, 7)
        layout.addLayout(grid)
        self.model = RowsModel(COLUMNS, self)
        self.table = table_view(self.model, resize=QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.count = QLabel("")
        layout.addWidget(self.count)
        paper = QGridLayout()
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText(_("初回の監査ログ確認票の検証キー（任意）"))
        self.anchors_edit = QLineEdit()
        self.anchors_edit.setPlaceholderText(
            _("確認票の確認コード「番号:コード」（複数は空白で区切る、任意）"))
        paper.addWidget(QLabel(_("検証キー")), 0, 0)
        paper.addWidget(self.key_edit, 0, 1)
        paper.addWidget(QLabel(_("確認コード")), 1, 0)
        paper.addWidget(self.anchors_edit, 1, 1)
        layout.addLayout(paper)
        self.verify_result = QLabel("")
        self.verify_result.setWordWrap(True)
        layout.addWidget(self.verify_result)
        row = QHBoxLayout()
        verify = QPushButton(_("改ざんがないか検査する"))
        verify.clicked.connect(self.verify)
        sheet = QPushButton(_("監査ログ確認票を作る…"))
        sheet.clicked.connect(self.print_sheet)
        export = QPushButton(_("表示中の条件で CSV に書き出す…"))
        export.clicked.connect(self.export)
        row.addWidget(verify)
        row.addWidget(sheet)
        row.addWidget(export)
        row.addStretch(1)
        row.addWidget(close_buttons(self))
        layout.addLayout(row)
        self._fill_choices()
        # 「このケースを見た人」: one case's whole history, its prints and exports included.
        self.case_id = case_id
        if case_id is not None:
            self.setWindowTitle(_("監査ログ — このケースを見た人"))
        self.refresh()

    def _fill_choices(self) -> None:
        choices = audit_choices(self.ctx)
        self.user.addItem(_("すべて"), "")
        for u in choices.users:
            self.user.addItem(u, u)
        self.area.addItem(_("すべて"), "")
        for code, label in choices.areas:
            self.area.addItem(label, code)
        self.target.addItem(_("すべて"), "")
        for t in choices.target_types:
            self.target.addItem(target_label(t), t)

    def current_filter(self) -> AuditFilter:
        """The filter the boxes describe."""
        return AuditFilter(
            user_name=self.user.currentData() or "", action=self.area.currentData() or "",
            target_type=self.target.currentData() or "", target_id=self.target_id.text().strip(),
            start=_to_date(self.start.date()) if self.use_period.isChecked() else None,
            end=_to_date(self.end.date()) if self.use_period.isChecked() else None,
            case_id=self.case_id,
        )

    def refresh(self) -> None:
        """Show the newest matching entries."""
        page = search_audit(self.ctx, self.current_filter(), limit=PAGE)
        self.model.set_rows(page.entries)
        if page.total > PAGE:
            self.count.setText(_("該当 {n} 件のうち、新しい {p} 件を表示しています。"
                                 "すべてを見るには CSV に書き出してください。").format(
                n=page.total, p=PAGE))
        else:
            self.count.setText(_("該当 {n} 件").format(n=page.total))

    def verify(self) -> None:
        """Check the chain, the seals (with the key) and the typed anchors; say it plainly."""
        try:
            result = verify_audit(self.ctx, key=self.key_edit.text().strip() or None,
                                  anchors=self.anchors_edit.text().split())
        except KnownError as e:
            show_error(self, e)
            return
        self.verify_result.setText(result.message())
        self.verify_result.setStyleSheet("" if result.ok else "color: #b00020; font-weight: bold;")
        if not result.ok:
            QMessageBox.warning(self, _("監査ログの検査"), result.message() + "\n" + _(
                "システム担当者に連絡し、このパソコンのデータとバックアップを保全してください。"))

    def print_sheet(self) -> None:
        """Write the 監査ログ確認票 (with the 検証キー the first time) and open it to print."""
        from pfdesk.services.audit_anchor import print_audit_sheet

        path = ask_save_path(self, _("監査ログ確認票"), f"監査ログ確認票_{date.today():%Y%m%d}.pdf",
                             _("PDF ファイル (*.pdf)"), ".pdf")
        if not path:
            return
        try:
            info = print_audit_sheet(self.ctx, path)
        except KnownError as e:
            show_error(self, e)
            return
        text = _("監査ログ確認票を作りました（確認コード {code}）。印刷して決裁文書とともに"
                 "保管してください。").format(code=info.anchor)
        if info.with_key:
            text += _("\nこの確認票には検証キーが印刷されています。印刷したら PDF ファイルは"
                      "削除してください。検証キーはこのパソコンから消しました。")
        self.verify_result.setText(text)
        from pfdesk.ui.printing.preview import show_pdf_preview

        self.preview_window = show_pdf_preview(self, path, title=_("監査ログ確認票"))

    def export(self) -> None:
        """Write the filtered entries to a CSV file the user picks."""
        where = self.current_filter()
        export_csv(self, _("監査ログの書き出し"), f"監査ログ_{date.today():%Y%m%d}.csv",
                   lambda path: export_audit(self.ctx, path, where), self.count)
