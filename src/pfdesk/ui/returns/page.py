"""報告: returns to the prefecture — make them, see what was sent, keep the 窓口 answers."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.returns.answers_form import AnswersForm
from pfdesk.ui.returns.history import HistoryTab
from pfdesk.ui.returns.make_tab import MakeTab
from pfdesk.ui.window_fit import ScrollingTabWidget


class ReturnsPage(Page):
    """都道府県への報告（Excel）: 作成, 作成履歴 and 窓口・実態把握."""

    title = _("報告")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("報告（都道府県への報告）"))
        self.tabs = ScrollingTabWidget()  # a tab taller than a short window scrolls inside
        self.make = MakeTab(ctx=ctx)
        self.history = HistoryTab(ctx=ctx)
        self.answers = AnswersForm(ctx=ctx)
        self.tabs.addTab(self.make, _("作成"))
        self.tabs.addTab(self.history, _("作成履歴・差分"))
        self.tabs.addTab(self.answers, _("窓口・実態把握の回答"))
        layout.addWidget(self.tabs, 1)
        self.make.produced.connect(self.history.refresh)
        self.tabs.currentChanged.connect(self._tab_shown)

    def refresh(self) -> None:
        """Reload what the current tab shows."""
        self.make.refresh()
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.history:
            self.history.refresh()
        elif widget is self.answers:
            self.answers.refresh()

    def unsaved_changes(self) -> str:
        """Typed 窓口・実態把握 answers not yet saved, asked about before the window closes."""
        return _("窓口・実態把握の回答") if self.answers.has_unsaved_changes() else ""

    def save_changes(self) -> bool:
        """Save the answers; False keeps the window open with the problem shown."""
        return self.answers.save()
