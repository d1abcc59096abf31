"""ホーム: the figures and the meetings ahead that need attention today."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QListWidget, QWidget

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_fiscal_year
from pfdesk.services.summary import HomeSummary, home_summary
from pfdesk.ui.page import Page, page_layout


class _Figure(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        self.value = QLabel("")
        f = self.value.font()
        f.setPointSizeF(f.pointSizeF() * 2)
        f.setBold(True)
        self.value.setFont(f)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cap = QLabel(caption)
        cap.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.value, 0, 0)
        grid.addWidget(cap, 1, 0)


class HomePage(Page):
    """The first page: the platform's state at a glance."""

    title = _("ホーム")

    def __init__(self, *, ctx, parent=None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("ホーム"))
        self.greeting = QLabel("")
        self.greeting.setWordWrap(True)
        layout.addWidget(self.greeting)
        grid = QGridLayout()
        self.fig_orgs = _Figure(_("関係機関（有効）"))
        self.fig_people = _Figure(_("在任中の担当者"))
        self.fig_cases = _Figure(_("対応中のケース"))
        self.fig_actions = _Figure(_("未完了の宿題事項"))
        for i, w in enumerate((self.fig_orgs, self.fig_people, self.fig_cases, self.fig_actions)):
            grid.addWidget(w, 0, i)
        layout.addLayout(grid)
        layout.addWidget(QLabel(_("今後の会議")))
        self.upcoming = QListWidget()
        layout.addWidget(self.upcoming, 1)
        self.summary: HomeSummary | None = None

    def refresh(self) -> None:
        """Reload the figures."""
        s = home_summary(self.ctx)
        self.summary = s
        demo = _("（デモの町のデータです。実在の人物・団体とは関係ありません）") if s.is_demo else ""
        self.greeting.setText(
            _("{town}　{platform}\n{today}　{fy}{demo}").format(
                town=s.municipality, platform=s.platform_name,
                today=format_date(s.today, weekday=True),
                fy=format_fiscal_year(s.fiscal_year), demo=demo,
            )
        )
        self.fig_orgs.value.setText(f"{s.organizations:,}")
        self.fig_people.value.setText(f"{s.people_in_post:,}")
        self.fig_cases.value.setText("—" if s.open_cases is None else f"{s.open_cases:,}")
        self.fig_actions.value.setText(f"{s.open_action_items:,}")
        self.upcoming.clear()
        for m in s.upcoming:
            self.upcoming.addItem(
                _("{date}　{body}　第{n}回　{place}").format(
                    date=format_date(m.held_on, weekday=True), body=m.body_name,
                    n=m.number, place=m.place,
                )
            )
        if not s.upcoming:
            self.upcoming.addItem(_("予定されている会議はありません。"))
