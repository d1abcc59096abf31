"""関係機関 page: loading the lists on the worker, the filters, the counts and hints."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from pfdesk.core.i18n import _
from pfdesk.services.directory.organizations import body_choices, list_organizations
from pfdesk.services.directory.people import list_people
from pfdesk.services.directory.rollover import rollover_list
from pfdesk.services.directory.version import directory_version
from pfdesk.services.summary import store_counts
from pfdesk.ui.directory.page_view import ORGS_TAB, PEOPLE_TAB, ROLLOVER_TAB, DirectoryPageView
from pfdesk.ui.errors import show_error
from pfdesk.ui.tasks import run_in_background


def _lists(ctx, filters: tuple) -> tuple[list, list]:
    """The people and the organizations the search and filters ``filters`` find."""
    q, fld, body, current = filters
    return (list_people(ctx, query=q, field=fld, body_id=body, in_post_only=current),
            list_organizations(ctx, query=q, field=fld, body_id=body, active_only=current))


class DirectoryLists(DirectoryPageView):
    """Reads the people, organizations and 年度更新 lists and shows them."""

    #: directory_version() when the lists were last loaded by refresh().
    _loaded_version: tuple | None = None
    #: True while refresh() reads the lists on the background worker.
    loading = False
    #: True while search_again() reads the lists for a search or filter on the worker.
    searching = False
    _search_pending = False
    _refresh_again = False
    _sized = False  # column widths are measured once, on the first lists
    _unsized: list[QTableView] = []  # the lists whose widths wait for their tab


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

        def fetch():
            version = directory_version(ctx)
            if version == loaded:
                return None
            return (version, body_choices(ctx), *_lists(ctx, filters), rollover_list(ctx))

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
                self._show(None, None, rollover)
                self.search_again()
            self._loaded_version = version
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def search_again(self) -> None:
        """Read both lists for the search and filters as they are now, on the worker.

        Typing and choosing a filter never wait for thousands of people to be read: the
        lists change when the read arrives. While one read runs, further changes wait
        for it and then read once more with what is in the fields by then.
        """
        if self.loading:
            return  # refresh()'s lists arrive with a filter check of their own
        if self.searching:
            self._search_pending = True
            return
        ctx, filters = self.ctx, self._filters()
        self.searching = True
        run_in_background(self, lambda: _lists(ctx, filters),
                          title=_("関係機関を検索しています"), show_progress=False,
                          on_success=lambda result: self._searched(filters, result),
                          on_failure=self._search_failed)

    def _searched(self, filters: tuple, result) -> None:
        self.searching = False
        if self._search_pending or self._filters() != filters:
            self._search_pending = False
            self.search_again()  # the fields changed meanwhile: their lists, not these
            return
        people, orgs = result
        self._show(people, orgs, None)

    def _search_failed(self, e: BaseException) -> None:
        self.searching = self._search_pending = False
        show_error(self, e)

    def reload(self, refresh_rollover: bool = True) -> None:
        """Run the search and filters again (and the 年度更新 list, unless told not to)."""
        people, orgs = _lists(self.ctx, self._filters())
        # 年度更新 ignores the search and filters: reload it only when data changed.
        self._show(people, orgs, rollover_list(self.ctx) if refresh_rollover else None)

    def _show(self, people, orgs, rollover) -> None:
        if people is not None:
            self.people.set_records(people)
            self.orgs.set_records(orgs)
        if rollover is not None:
            self.rollover.show_list(rollover)
        if not self._sized and (self.people.records or self.orgs.records):
            # Once: later lists (a search, a filter, a change) keep the widths.
            self._sized = True
            self._unsized = [self.people_view, self.orgs_view]
            self.size_shown_list()
        self.tabs.setTabText(PEOPLE_TAB, _("担当者（{n}）").format(n=len(self.people.records)))
        self.tabs.setTabText(ORGS_TAB, _("関係機関（{n}）").format(n=len(self.orgs.records)))
        n = len(self.rollover.model.records)
        self.tabs.setTabText(ROLLOVER_TAB, _("年度更新（{n}）").format(n=n) if n
                             else _("年度更新"))
        self._update_status()
        self._update_empty_hint()

    def size_shown_list(self) -> None:
        """Fit the columns of the list on screen to its first rows, once per list.

        A list on a tab not shown is measured when its tab is chosen: measuring both
        lists and the 年度更新 at once held the window for a third of its first fill.
        """
        for view in list(self._unsized):
            if view is self.tabs.currentWidget():
                self._unsized.remove(view)
                view.resizeColumnsToContents()
                for col in range(view.model().columnCount()):
                    view.setColumnWidth(col, min(view.columnWidth(col) + 12, 240))

    def _update_empty_hint(self) -> None:
        """On a new store (nothing registered, no search or filter) say how to begin."""
        unfiltered = not (self.search.text().strip() or self.field.currentData()
                          or self.body.currentData())
        empty = unfiltered and not self.people.records and not self.orgs.records
        if empty:  # the lists hide inactive records: only a store with none at all is new
            counts = store_counts(self.ctx)
            empty = not (counts.organizations or counts.people)
        self.empty_hint.setVisible(empty)

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
