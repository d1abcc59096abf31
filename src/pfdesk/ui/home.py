"""ホーム: the figures and the meetings ahead that need attention today."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QListWidget, QWidget

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_fiscal_year
from pfdesk.services.summary import QUIET_DAYS, HomeSummary, home_summary
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
        self.reminder = QLabel(_(
            "4月の人事異動の時期です。関係機関 → 年度更新 で、異動した担当者と後任を"
            "確認してください。"))
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet(
            "background: #fff4ce; border: 1px solid #e0c060; padding: 6px;")
        self.reminder.hide()
        layout.addWidget(self.reminder)
        lists = QGridLayout()
        self.upcoming = QListWidget()
        self.actions = QListWidget()
        self.quiet_label = QLabel(_("しばらく支援経過のないケース"))
        self.quiet = QListWidget()
        lists.addWidget(QLabel(_("今後の会議")), 0, 0)
        lists.addWidget(self.upcoming, 1, 0)
        lists.addWidget(QLabel(_("未完了の宿題事項（期限の近い順）")), 0, 1)
        lists.addWidget(self.actions, 1, 1)
        lists.addWidget(self.quiet_label, 2, 0, 1, 2)
        lists.addWidget(self.quiet, 3, 0, 1, 2)
        lists.setRowStretch(1, 3)
        lists.setRowStretch(3, 2)
        for w in (self.upcoming, self.actions, self.quiet):
            # Long meeting and task names wrap instead of hiding behind a scroll bar.
            w.setWordWrap(True)
            w.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            w.setResizeMode(QListWidget.ResizeMode.Adjust)
        layout.addLayout(lists, 1)
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
        self.reminder.setVisible(s.rollover_due)
        self.actions.clear()
        for a in s.actions:
            due = format_date(a.due_on) if a.due_on else _("期限なし")
            mark = _("【期限切れ】") if a.overdue else ""
            self.actions.addItem(_("{mark}{due}　{what}（{who}）　{body}").format(
                mark=mark, due=due, what=a.description, who=a.assignee or _("担当未定"),
                body=a.body_name))
        if not s.actions:
            self.actions.addItem(_("未完了の宿題事項はありません。"))
        self.quiet_label.setVisible(s.quiet_cases is not None)
        self.quiet.setVisible(s.quiet_cases is not None)
        self.quiet.clear()
        if s.quiet_cases is not None:
            self.quiet_label.setText(_(
                "{days}日以上 支援経過のない対応中のケース：{n}件（古い順。相談 で開けます）"
            ).format(days=QUIET_DAYS, n=s.quiet_case_count))
            for c in s.quiet_cases:
                self.quiet.addItem(_("{number}　主担当 {staff}　最後の記録 {last}").format(
                    number=c.case_number, staff=c.lead_staff or _("未定"),
                    last=format_date(c.last_contact) if c.last_contact else _("なし")))
            if not s.quiet_cases:
                self.quiet.addItem(_("ありません。"))
