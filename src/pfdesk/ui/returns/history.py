"""作成履歴: the returns produced so far, their 差分 against the previous 年度, and re-writing one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.returns.snapshots import (
    SnapshotInfo,
    compare_with_previous_year,
    list_snapshots,
    reproduce_snapshot,
)
from pfdesk.ui.returns.models import DiffModel, SnapshotModel
from pfdesk.ui.table_model import SORT_ROLE
from pfdesk.ui.tasks import run_in_background


def table(model) -> QTableView:
    """A read-only, sortable, row-selecting table in the house style."""
    view = QTableView()
    proxy = QSortFilterProxyModel(view)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view.setModel(proxy)
    # no sort until the user clicks a header: rows keep the order the service gives
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def source_row(view: QTableView) -> int | None:
    """The model row of the selected line, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    proxy = view.model()
    assert isinstance(proxy, QSortFilterProxyModel)  # every table of the page sorts (table())
    return proxy.mapToSource(rows[0]).row()


class HistoryTab(QWidget):
    """Past returns on top; the selected one's 差分 with the previous 年度 below."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        hint = QLabel(_("作成した報告は、期間・様式・記入設定・すべての数値とともに記録されます。"
                        "選ぶと前年度との差分を表示します。"))
        hint.setWordWrap(True)
        outer.addWidget(hint)
        self.snapshots = SnapshotModel(self)
        self.view = table(self.snapshots)
        self.diff = DiffModel(self)
        self.diff_view = table(self.diff)
        self.diff_label = QLabel(_("報告を選ぶと、前年度との差分を表示します。"))
        self.diff_label.setWordWrap(True)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.diff_label)
        lower_layout.addWidget(self.diff_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        row = QHBoxLayout()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.reproduce_button = QPushButton(_("同じ内容でもう一度書き出す…"))
        self.reproduce_button.clicked.connect(self.ask_reproduce)
        row.addWidget(self.reproduce_button)
        outer.addLayout(row)
        self.view.selectionModel().selectionChanged.connect(self.show_diff)
        self.reproduce_button.setEnabled(False)
        self._can_make = ctx.actor.can(Permission.RETURN_MAKE)

    def refresh(self) -> None:
        """Reload the list of returns."""
        self.snapshots.set_rows(list_snapshots(self.ctx))
        self.view.resizeColumnsToContents()
        if self.snapshots.rows:
            self.view.selectRow(0)
        else:
            self.diff.set_rows([])
            self.diff_label.setText(_("まだ報告を作成していません。「作成」タブから作成します。"))

    def selected(self) -> SnapshotInfo | None:
        """The return selected in the list."""
        row = source_row(self.view)
        return None if row is None else self.snapshots.row_at(row)

    def show_diff(self, *_args) -> None:
        """差分 of the selected return against the previous 年度."""
        snap = self.selected()
        self.reproduce_button.setEnabled(snap is not None and self._can_make)
        if snap is None:
            self.diff.set_rows([])
            return
        self.diff_label.setText(_("差分を集計しています…"))

        def shown(d) -> None:
            now = self.selected()
            if now is None or now.id != d.snapshot.id:
                return  # another return was picked meanwhile
            source = (_("前年度の報告（作成履歴）") if d.previous_snapshot_id
                      else _("前年度は報告の記録がないため、現在のデータから集計"))
            self.diff_label.setText(
                _("{cur} と {prev} の差分（{source}）。0 のままの項目は省いています。").format(
                    cur=d.snapshot.period_label, prev=d.previous_label, source=source))
            self.diff.set_rows(d.rows)
            self.diff_view.resizeColumnsToContents()

        # counting the previous 年度 may take a moment in a large store
        run_in_background(self, lambda: compare_with_previous_year(self.ctx, snap.id),
                                 title=_("差分を集計しています"), on_success=shown,
                                 show_progress=False)

    def ask_reproduce(self) -> None:
        """Ask where to save (and, for a prefecture form, which form file), then write."""
        snap = self.selected()
        if snap is None:
            return
        form = None
        if snap.form_name:
            form, _f = QFileDialog.getOpenFileName(
                self, _("作成時の様式「{name}」を選んでください").format(name=snap.form_name),
                "", _("Excel ブック (*.xlsx)"))
            if not form:
                return
        out, _f = QFileDialog.getSaveFileName(
            self, _("保存先"), str(Path.home() / f"再出力_{snap.output_name}"),
            _("Excel ブック (*.xlsx)"))
        if out:
            self.reproduce(snap, out, form)

    def reproduce(self, snap: SnapshotInfo, out: str, form: str | None = None):
        """Write ``snap`` again to ``out`` in the background."""
        def done(result) -> None:
            self.status.setText(_("書き出しました: {path}").format(path=result.output_path))
            self.refresh()

        return run_in_background(
            self, lambda: reproduce_snapshot(self.ctx, snap.id, out, form),
            title=_("報告を書き出しています"), on_success=done)
