"""関係機関: the directory page — people and organizations, search, 年度更新, files and print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from pfdesk.core.atomic import shred_file
from pfdesk.core.codes import FIELDS
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.directory.io import export_contacts
from pfdesk.services.directory.organizations import body_choices, list_organizations
from pfdesk.services.directory.people import list_people
from pfdesk.services.directory.rollover import rollover_list
from pfdesk.services.directory.version import directory_version
from pfdesk.services.summary import store_counts
from pfdesk.ui.directory.import_dialog import ImportDialog
from pfdesk.ui.directory.merge_dialog import MergeDialog
from pfdesk.ui.directory.models import SORT_ROLE, OrganizationsModel, PeopleModel
from pfdesk.ui.directory.org_dialog import OrganizationDialog
from pfdesk.ui.directory.person_dialog import PersonDialog
from pfdesk.ui.directory.rollover import RolloverView
from pfdesk.ui.errors import show_error
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.widgets import ask_save_path_as, table_view

if TYPE_CHECKING:
    from pfdesk.ui.printing.preview import PdfPreviewDialog

PEOPLE_TAB, ORGS_TAB, ROLLOVER_TAB = range(3)


class _SortingSource(QSortFilterProxyModel):
    """A proxy that hands sorting to the source model (RecordTableModel.sort)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


def _table(model) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = _SortingSource()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = table_view(proxy, alternating=True)
    # Column widths from the first 40 rows only: measuring 6,000 rows froze the page,
    # and 100 rows still took most of the time the page held the window at scale 100.
    view.horizontalHeader().setResizeContentsPrecision(40)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setTabKeyNavigation(False)
    return view, proxy


class DirectoryPage(Page):
    """関係機関・担当者の名簿."""

    title = _("関係機関")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        #: Show the printed PDF in the preview window (tests turn it off).
        self.open_after_print = True
        #: The preview window of the last 名簿 or 宛名ラベル, while it is open.
        self.preview_window: PdfPreviewDialog | None = None
        #: directory_version() when the lists were last loaded by refresh().
        self._loaded_version: tuple | None = None
        #: True while refresh() reads the lists on the background worker.
        self.loading = False
        self._refresh_again = False
        self._sized = False  # column widths are measured once, on the first lists
        layout = page_layout(self, _("関係機関・担当者"))
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("検索（氏名・機関名・ふりがな・電話）"))
        self.search.setClearButtonEnabled(True)
        self.field = QComboBox()
        self.field.addItem(_("すべての分野"), None)
        for key, label in FIELDS:
            self.field.addItem(label, key)
        self.body = QComboBox()
        self.body.addItem(_("すべての会議体"), None)
        self.current_only = QCheckBox(_("在任中・有効のみ"))
        self.current_only.setChecked(True)
        bar.addWidget(self.search, 3)
        bar.addWidget(self.field, 1)
        bar.addWidget(self.body, 1)
        bar.addWidget(self.current_only)
        layout.addLayout(bar)
        self.empty_hint = QLabel(_(
            "関係機関・担当者はまだ登録されていません。Excel や CSV の名簿があれば、下の"
            "「取り込み…」でまとめて登録できます。1件ずつ登録するときは「機関を追加」"
            "「担当者を追加」を押してください。"))
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet(
            "background: #eef5fc; border: 1px solid #8db4dc; padding: 8px;")
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        self.people = PeopleModel(self)
        self.orgs = OrganizationsModel(self)
        self.people_view, self.people_proxy = _table(self.people)
        self.orgs_view, self.orgs_proxy = _table(self.orgs)
        self.rollover = RolloverView(ctx=ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people_view, _("担当者"))
        self.tabs.addTab(self.orgs_view, _("関係機関"))
        self.tabs.addTab(self.rollover, _("年度更新"))
        self.undo_bar = UndoBar(ctx=ctx)
        self.undo_bar.changed.connect(self.reload)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        write = ctx.actor.can(Permission.DIRECTORY_WRITE)
        self.new_person_button = self._button(buttons, _("担当者を追加"), self.new_person, write)
        self.new_org_button = self._button(buttons, _("機関を追加"), self.new_org, write)
        self.open_button = self._button(buttons, _("開く"), self.open_selected, True)
        self.merge_button = self._button(buttons, _("統合…"), self.merge_selected, write)
        buttons.addStretch(1)
        self.import_button = self._button(
            buttons, _("取り込み…"), self.import_file,
            write and ctx.actor.can(Permission.IMPORT))
        self.export_button = self._button(buttons, _("書き出し…"), self.export_file,
                                          ctx.actor.can(Permission.EXPORT_PERSONAL))
        printing = ctx.actor.can(Permission.DOCUMENT_PRINT)
        self.print_button = self._button(buttons, _("名簿PDF…"), self.print_roster, printing)
        self.labels_button = self._button(buttons, _("宛名ラベル…"), self.print_labels, printing)
        layout.addLayout(buttons)
        self.status = QLabel("")
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(lambda: self.reload(refresh_rollover=False))
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.field.currentIndexChanged.connect(lambda _i: self.reload(False))
        self.body.currentIndexChanged.connect(lambda _i: self.reload(False))
        self.current_only.toggled.connect(lambda _b: self.reload(False))
        self.tabs.currentChanged.connect(lambda _i: self._update_status())
        self.people_view.doubleClicked.connect(lambda _i: self.open_selected())
        self.orgs_view.doubleClicked.connect(lambda _i: self.open_selected())
        self.rollover.changed.connect(lambda: self.reload(refresh_rollover=False))
        for view in (self.people_view, self.orgs_view):
            for enter in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                sc = QShortcut(QKeySequence(enter), view)
                sc.setContext(Qt.ShortcutContext.WidgetShortcut)
                sc.activated.connect(self.open_selected)
        # Ctrl+F (this search field) and Ctrl+N (新しい担当者) come from ui.shortcuts.

    def _button(self, row: QHBoxLayout, text: str, slot, enabled: bool) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(slot)
        b.setEnabled(enabled)
        row.addWidget(b)
        return b

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the 会議体 filter, both lists and the 年度更新 list, if anything changed.

        Coming back to the page loads thousands of people again only when the directory
        changed since (here or in another window) or the day did. The lists are read on
        the background worker; the page shows them when they arrive (``loading`` until).
        """
        if self.loading:
            self._refresh_again = True
            return
        ctx, loaded, filters = self.ctx, self._loaded_version, self._filters()
        q, fld, body, current = filters

        def fetch():
            version = directory_version(ctx)
            if version == loaded:
                return None
            return (version, body_choices(ctx),
                    list_people(ctx, query=q, field=fld, body_id=body, in_post_only=current),
                    list_organizations(ctx, query=q, field=fld, body_id=body,
                                       active_only=current),
                    rollover_list(ctx))

        self.loading = True
        run_in_background(self, fetch, title=_("関係機関を読み込んでいます"), show_progress=False,
                          on_success=lambda result: self._fetched(filters, result),
                          on_failure=self._fetch_failed)

    def _filters(self) -> tuple:
        return (self.search.text(), self.field.currentData(), self.body.currentData(),
                self.current_only.isChecked())

    def _fetch_failed(self, e: BaseException) -> None:
        self.loading = False
        show_error(self, e)

    def _fetched(self, filters: tuple, result) -> None:
        self.loading = False
        if result is not None:
            version, bodies, people, orgs, rollover = result
            chosen = self.body.currentData()
            self.body.blockSignals(True)
            self.body.clear()
            self.body.addItem(_("すべての会議体"), None)
            for b in bodies:
                self.body.addItem(b.name if b.active else _("{n}（休止）").format(n=b.name),
                                  b.id)
            self.body.setCurrentIndex(max(0, self.body.findData(chosen)))
            self.body.blockSignals(False)
            if self._filters() == filters:
                self._show(people, orgs, rollover)
            else:  # typed or filtered meanwhile (or the chosen 会議体 is gone): read again
                self.reload()
            self._loaded_version = version
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def reload(self, refresh_rollover: bool = True) -> None:
        """Run the search and filters again (and the 年度更新 list, unless told not to)."""
        q, fld, body, current = self._filters()
        people = list_people(self.ctx, query=q, field=fld, body_id=body, in_post_only=current)
        orgs = list_organizations(self.ctx, query=q, field=fld, body_id=body,
                                  active_only=current)
        # 年度更新 ignores the search and filters: reload it only when data changed.
        self._show(people, orgs, rollover_list(self.ctx) if refresh_rollover else None)

    def _show(self, people, orgs, rollover) -> None:
        self.people.set_records(people)
        self.orgs.set_records(orgs)
        if rollover is not None:
            self.rollover.show_list(rollover)
        if not self._sized and (self.people.records or self.orgs.records):
            # Once: later lists (a search, a filter, a change) keep the widths.
            self._sized = True
            for view in (self.people_view, self.orgs_view):
                view.resizeColumnsToContents()
                for col in range(view.model().columnCount()):
                    view.setColumnWidth(col, min(view.columnWidth(col) + 12, 240))
        self.tabs.setTabText(PEOPLE_TAB, _("担当者（{n}）").format(n=len(self.people.records)))
        self.tabs.setTabText(ORGS_TAB, _("関係機関（{n}）").format(n=len(self.orgs.records)))
        n = len(self.rollover.model.records)
        self.tabs.setTabText(ROLLOVER_TAB, _("年度更新（{n}）").format(n=n) if n
                             else _("年度更新"))
        self._update_status()
        self._update_empty_hint()

    def _update_empty_hint(self) -> None:
        """On a new store (nothing registered, no search or filter) say how to begin."""
        unfiltered = not (self.search.text().strip() or self.field.currentData()
                          or self.body.currentData())
        empty = unfiltered and not self.people.records and not self.orgs.records
        if empty:  # the lists hide inactive records: only a store with none at all is new
            counts = store_counts(self.ctx)
            empty = not (counts.organizations or counts.people)
        self.empty_hint.setVisible(empty)

    def run_action(self, action: str) -> None:
        """Start ``action`` as its button would ("import", "add_org", "add_person")."""
        slots = {"import": (self.import_button, self.import_file),
                 "add_org": (self.new_org_button, self.new_org),
                 "add_person": (self.new_person_button, self.new_person)}
        button, slot = slots[action]
        if button.isEnabled():  # a role that may not register sees the list only
            self.tabs.setCurrentIndex(ORGS_TAB if action == "add_org" else PEOPLE_TAB)
            slot()

    def _update_status(self) -> None:
        tab = self.tabs.currentIndex()
        if tab == PEOPLE_TAB:
            text = _("{n} 名（五十音順）。Enter またはダブルクリックで開きます。").format(
                n=len(self.people.records))
        elif tab == ORGS_TAB:
            text = _("{n} 機関（五十音順）。Enter またはダブルクリックで開きます。").format(
                n=len(self.orgs.records))
        else:
            text = ""
        if not self.people.records and not self.orgs.records and self.search.text():
            text = _("「{q}」に当てはまる記録はありません。").format(q=self.search.text())
        self.status.setText(text)

    # -- records ------------------------------------------------------------------------------

    def _selected(self) -> list:
        model: PeopleModel | OrganizationsModel
        if self.tabs.currentIndex() == PEOPLE_TAB:
            view, proxy, model = self.people_view, self.people_proxy, self.people
        elif self.tabs.currentIndex() == ORGS_TAB:
            view, proxy, model = self.orgs_view, self.orgs_proxy, self.orgs
        else:
            return []
        rows = view.selectionModel().selectedRows()
        return [model.record(proxy.mapToSource(i).row()) for i in rows]

    def open_selected(self) -> None:
        """Open the selected person or organization."""
        chosen = self._selected()
        if not chosen:
            return
        dlg: PersonDialog | OrganizationDialog
        if self.tabs.currentIndex() == PEOPLE_TAB:
            dlg = PersonDialog(ctx=self.ctx, person_id=chosen[0].id, parent=self)
        else:
            dlg = OrganizationDialog(ctx=self.ctx, org_id=chosen[0].id, parent=self)
        if dlg.exec() and dlg.saved_offer is not None:
            self.undo_bar.offer(dlg.saved_offer)  # 「…を保存しました　［取り消し］」
        self.reload()

    def new_person(self) -> None:
        """Register a person (with their first post)."""
        org = None
        if self.tabs.currentIndex() == ORGS_TAB and self._selected():
            org = self._selected()[0].id
        dlg = PersonDialog(ctx=self.ctx, org_id=org, parent=self)
        if dlg.exec():
            self.reload()
            self._show_new_person(dlg.person_id)

    def _show_new_person(self, person_id: int | None) -> None:
        """Select the person just registered; one without a 所属 is not hidden by 在任中."""
        if person_id is None:
            return
        ids = [r.id for r in self.people.records]
        if person_id not in ids and self.current_only.isChecked():
            self.current_only.setChecked(False)  # reloads
            ids = [r.id for r in self.people.records]
            QMessageBox.information(self, _("担当者の登録"), _(
                "登録しました。所属がまだないため、「在任中・有効のみ」を外して表示しています。"
                "所属は、この人を開いて「所属を追加…」で記録できます。"))
        if person_id in ids:
            self.tabs.setCurrentIndex(PEOPLE_TAB)
            src = self.people.index(ids.index(person_id), 0)
            index = self.people_proxy.mapFromSource(src)
            # Selected outright: selectRow() follows the keys held down (Ctrl toggles).
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            self.people_view.selectionModel().setCurrentIndex(index, flags)
            self.people_view.scrollTo(index)

    def new_org(self) -> None:
        """Register an organization."""
        if OrganizationDialog(ctx=self.ctx, parent=self).exec():
            self.reload()

    def merge_selected(self) -> None:
        """Merge the two selected records of the same person or organization."""
        chosen = self._selected()
        if len(chosen) != 2:
            QMessageBox.information(self, _("統合"), _(
                "同じ人（または機関）の記録を2件、Ctrl キーを押しながら選んでから"
                "「統合」を押してください。"))
            return
        kind = "person" if self.tabs.currentIndex() == PEOPLE_TAB else "organization"
        if MergeDialog(ctx=self.ctx, kind=kind, a=chosen[0], b=chosen[1], parent=self).exec():
            self.reload()

    # -- files and print ----------------------------------------------------------------------

    def import_file(self, path: str | None = None) -> None:
        """Open the import wizard."""
        if ImportDialog(ctx=self.ctx, path=path or None, parent=self).exec():
            self.reload()

    def export_file(self) -> None:
        """Write the list (current filter's 会議体) to Excel or CSV."""
        kinds = [(_("Excel ブック (*.xlsx)"), ".xlsx"),
                 (_("CSV Shift_JIS・Excel 向け (*.csv)"), ".csv"),
                 (_("CSV UTF-8 BOM 付き (*.csv)"), ".csv")]
        path, kind = ask_save_path_as(self, _("名簿の書き出し"), _("関係機関名簿.xlsx"), kinds)
        if path:
            self.export_to(path, "cp932" if kind == 1 else "utf-8-sig")

    def export_to(self, path: str, encoding: str = "utf-8-sig") -> None:
        """Export to ``path`` in the background and report what cp932 could not hold."""
        body, current = self.body.currentData(), self.current_only.isChecked()
        run_in_background(
            self,
            lambda: export_contacts(self.ctx, path, encoding=encoding, body_id=body,
                                    in_post_only=current),
            title=_("書き出しています"),
            on_success=lambda r: self._exported(r.rows, r.path, r.report),
        )

    def _exported(self, rows: int, path: str, report: str) -> None:
        QMessageBox.information(
            self, _("書き出し"), _("{n} 行を書き出しました。\n{path}\n\n{report}").format(
                n=rows, path=path, report=report))

    def print_current(self) -> bool:
        """Ctrl+P: the 名簿 of the list shown, in the preview; False when not allowed."""
        if not self.print_button.isEnabled():
            return False
        self.print_roster()
        return True

    def print_roster(self, path: str | None = None) -> None:
        """名簿 PDF of everyone in post, or of the chosen 会議体's members.

        Without ``path`` the 名簿 is shown in the preview window, which prints it or
        saves it where the clerk chooses.
        """
        # PDF code (reportlab, the preview) is loaded when something is printed, not
        # with the page.
        from pfdesk.services.directory.printing import print_directory
        from pfdesk.ui.printing.preview import temporary_pdf_path

        name = _("名簿.pdf")
        temporary = not path
        target = path or str(temporary_pdf_path(name))
        body = self.body.currentData()
        run_in_background(self, lambda: print_directory(self.ctx, target, body_id=body),
                          title=_("名簿を作成しています"),
                          on_success=lambda r: self._printed(r, name, temporary))

    def print_labels(self, path: str | None = None, *, organizations: bool | None = None,
                     start_at: int | None = None) -> None:
        """宛名ラベル (A4 12面) for the people listed, or for the organizations (御中)."""
        if organizations is None:
            choice, ok = QInputDialog.getItem(
                self, _("宛名ラベル"), _("宛先:"),
                [_("一覧の担当者あて（様）"), _("一覧の機関あて（御中）")], 0, False)
            if not ok:
                return
            organizations = choice.endswith(_("（御中）"))
        if start_at is None:
            start_at, ok = QInputDialog.getInt(
                self, _("宛名ラベル"), _("1枚目の開始位置（使いかけのシートは残りの先頭、1〜12）:"),
                1, 1, 12)
            if not ok:
                return
        from pfdesk.services.directory.printing import print_labels as labels_pdf
        from pfdesk.ui.printing.preview import temporary_pdf_path

        name = _("宛名ラベル.pdf")
        temporary = not path
        path = path or str(temporary_pdf_path(name))
        if organizations:
            ids = [o.id for o in self.orgs.records]
            fn = lambda: labels_pdf(self.ctx, path, organization_ids=ids,  # noqa: E731
                                    start_at=start_at)
        else:
            ids = [p.id for p in self.people.records]
            fn = lambda: labels_pdf(self.ctx, path, person_ids=ids,  # noqa: E731
                                    start_at=start_at)
        run_in_background(self, fn, title=_("宛名ラベルを作成しています"),
                          on_success=lambda r: self._printed(r, name, temporary))

    def _printed(self, result, name: str, temporary: bool) -> None:
        if temporary:
            self.status.setText(_("{doc}を作成しました。プレビューから印刷または保存してください。")
                                .format(doc=name.removesuffix(".pdf")))
        else:
            self.status.setText(_("作成しました: {path}").format(path=result.path))
        if self.open_after_print:
            from pfdesk.ui.printing.preview import show_pdf_preview

            self.preview_window = show_pdf_preview(
                self, result.path, title=name.removesuffix(".pdf"), save_name=name,
                temporary=temporary)
        elif temporary:
            shred_file(result.path)


__all__ = ["DirectoryPage"]
