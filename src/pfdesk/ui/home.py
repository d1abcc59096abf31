"""ホーム: the figures and the meetings ahead that need attention today.

On a new store it leads with 「はじめにすること」: numbered first steps, each with a button
that asks the main window (through ``navigate``) to open the right page and action.
Every meeting, 宿題事項 and case listed opens its record with one click (or Enter).
"""

from __future__ import annotations

from time import monotonic

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date, format_fiscal_year
from pfdesk.services.context import ServiceContext
from pfdesk.services.summary import QUIET_DAYS, FirstSteps, HomeSummary, home_summary
from pfdesk.ui import theme
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.theme import set_role


class _Figure(QFrame):
    """A figure card: the number large, its caption under it."""

    def __init__(self, caption: str, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 6, 14, 6)
        mark = QLabel()
        mark.setPixmap(theme.icon_pixmap(icon_name, 28, theme.ACCENT))
        self.value = QLabel("")
        set_role(self.value, "figure")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cap = QLabel(caption)
        set_role(cap, "muted")
        cap.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(mark, 0, 0, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.value, 0, 1)
        grid.addWidget(cap, 1, 1)
        grid.setColumnStretch(1, 1)


class _ContentList(QListWidget):
    """A list as tall as its rows where there is room (a short list leaves it to the others).

    On a short window (150 % scaling, 特大 text) it shrinks to two rows and scrolls, so
    the page fits without scrolling as a whole.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        for signal in (self.model().rowsInserted, self.model().rowsRemoved,
                       self.model().modelReset):
            signal.connect(self.updateGeometry)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        """A new text size (設定 → 文字の大きさ) changes the rows' height."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The rows' height, at least two rows."""
        hint = super().sizeHint()
        rows = sum(max(self.sizeHintForRow(i), 0) + 2 * self.spacing()
                   for i in range(self.count()))
        return QSize(hint.width(), max(rows + 2 * self.frameWidth() + 4, self._two_lines()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Two rows: the rest scrolls inside the list when the window is short."""
        return QSize(super().minimumSizeHint().width(), self._two_lines())

    def _two_lines(self) -> int:
        line = self.fontMetrics().height() + 2 * self.spacing()
        return 2 * line + 2 * self.frameWidth() + 4


class _CardGrid(QWidget):
    """Cards side by side, dropping to fewer columns (4 → 2) when the page is narrow.

    At 150 % scaling or with 設定 → 文字の大きさ 特大 the four figures do not fit in one
    row of a narrow window: they reflow into two rows instead of widening the page.
    """

    def __init__(self, cards: list[QWidget], *, fewest: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards, self.fewest = cards, fewest
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.columns = 0
        self._place(len(cards))

    def _row_width(self, columns: int) -> int:
        """The least width of the widest row when the cards are laid ``columns`` a row."""
        widths = [c.minimumSizeHint().width() for c in self.cards]
        rows = [widths[i:i + columns] for i in range(0, len(widths), columns)]
        return max(sum(r) for r in rows) + (columns - 1) * self.grid.spacing()

    def _columns_for(self, width: int) -> int:
        columns = len(self.cards)
        while columns > self.fewest and self._row_width(columns) > width:
            columns //= 2  # 4 → 2: the rows stay even
        return max(columns, 1)

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i in range(self.grid.columnCount()):
            self.grid.setColumnStretch(i, 0)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for i in range(columns):
            self.grid.setColumnStretch(i, 1)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As narrow as the fewest columns; as tall as the rows shown now."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self._row_width(self.fewest)), hint.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Reflow the cards for the new width."""
        super().resizeEvent(event)
        width = event.size().width()
        # A page scroll bar shown only because the cards took two rows must not keep
        # them in two rows: count the width the page has without it.
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None and parent.verticalScrollBar().isVisible():
            width += parent.verticalScrollBar().width()
        self._place(self._columns_for(width))


class _Section(QFrame):
    """A card with a heading, a list, and 「すべて表示」 when the list is cut."""

    def __init__(self, title: str, icon_name: str, parent: QWidget | None = None, *,
                 fit: bool = False) -> None:
        super().__init__(parent)
        set_role(self, "card")
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.setSpacing(4)
        head = QHBoxLayout()
        mark = QLabel()
        mark.setPixmap(theme.icon_pixmap(icon_name, 18, theme.ACCENT))
        self.title = QLabel(title)
        set_role(self.title, "section")
        self.title.setWordWrap(True)
        self.all = QPushButton(_("すべて表示"))
        self.all.setFlat(True)
        self.all.setCursor(Qt.CursorShape.PointingHandCursor)
        self.all.setStyleSheet(f"color: {theme.ACCENT_DARK}; text-decoration: underline;")
        self.all.hide()
        head.addWidget(mark)
        head.addWidget(self.title, 1)
        head.addWidget(self.all)
        box.addLayout(head)
        self.list = _ContentList() if fit else QListWidget()
        # Long meeting and task names wrap instead of hiding behind a scroll bar.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(1)
        box.addWidget(self.list, 1)


#: The first steps: key, text, and buttons as (caption, page label, action).
STEPS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("directory", _("関係機関・担当者を登録する（Excel の名簿があれば、まとめて取り込めます）"),
     ((_("名簿を取り込む…"), _("関係機関"), "import"),
      (_("機関を1件ずつ追加…"), _("関係機関"), "add_org"))),
    ("bodies", _("会議体（全体会・実務者会議など）を登録する"),
     ((_("会議体を追加…"), _("会議"), "new_body"),)),
    ("cases", _("相談を受け付ける（最初の相談があったとき）"),
     ((_("新規受付…"), _("相談"), "new_case"),)),
    ("settings", _("設定で、文書番号の記号と文書の発信者を確認する"),
     ((_("設定を開く"), _("設定"), "documents"),)),
)


class FirstStepsPanel(QFrame):
    """「はじめにすること」: what a new secretariat does first, ✓ 済 once done."""

    navigate = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstSteps")
        self.setStyleSheet(
            "#firstSteps { background: #eef5fc; border: 1px solid #8db4dc; border-radius: 4px; }")
        box = QVBoxLayout(self)
        title = QLabel(_("はじめにすること"))
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        title.setFont(f)
        box.addWidget(title)
        intro = QLabel(_("まだ登録されていないものがあります。上から順に進めてください。"
                         "終わった項目には ✓ 済 が付き、すべて済むとこの案内は消えます。"))
        intro.setWordWrap(True)
        box.addWidget(intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(2, 1)
        self.rows: dict[str, tuple[list[QWidget], QLabel, list[QPushButton]]] = {}
        for i, (key, text, buttons) in enumerate(STEPS):
            number = QLabel("①②③④⑤"[i])
            label = QLabel(text)
            label.setWordWrap(True)
            state = QLabel("")
            state.setMinimumWidth(40)
            grid.addWidget(number, i, 0)
            grid.addWidget(state, i, 1)
            grid.addWidget(label, i, 2)
            pushes = []
            for j, (caption, page, action) in enumerate(buttons):
                b = QPushButton(caption)
                b.clicked.connect(lambda _c=False, p=page, a=action: self.navigate.emit(p, a))
                grid.addWidget(b, i, 3 + j)
                pushes.append(b)
            self.rows[key] = ([number, label, state, *pushes], state, pushes)
        box.addLayout(grid)

    def set_steps(self, steps: FirstSteps, may: dict[str, bool] | None = None) -> None:
        """Mark what is done and leave out a step the role may not see (相談).

        The buttons of a step the role may not do (``may[key]`` False) are greyed out.
        """
        done = {"directory": steps.directory_done, "bodies": steps.bodies_done,
                "cases": steps.cases_done, "settings": steps.settings_done}
        for key, (widgets, state, buttons) in self.rows.items():
            for w in widgets:
                w.setVisible(done[key] is not None)
            for b in buttons:
                b.setEnabled((may or {}).get(key, True))
            state.setText(_("✓ 済") if done[key] else _("未"))
            state.setStyleSheet("color: #1e7b34; font-weight: bold;" if done[key]
                                else "color: #a05a00;")

    def is_done(self, key: str) -> bool:
        """Whether the step ``key`` shows ✓ 済."""
        return self.rows[key][1].text() == _("✓ 済")

    def button(self, key: str, index: int = 0) -> QPushButton:
        """The step's ``index``-th button (tests and keyboard users)."""
        return self.rows[key][2][index]


#: How many meetings ahead the summary lists (more may be planned).
UPCOMING_SHOWN = 8
#: Item data: the (page label, action) that opens the listed record.
OPEN_ROLE = Qt.ItemDataRole.UserRole + 1


def _openable(text: str, page: str, action: str) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(OPEN_ROLE, (page, action))
    item.setToolTip(_("クリックすると開きます"))
    return item


class HomePage(Page):
    """The first page: the platform's state at a glance."""

    title = _("ホーム")
    #: (page label, action): the main window switches to that page and runs the action.
    navigate = Signal(str, str)

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("ホーム"))
        self.greeting = QLabel("")
        self.greeting.setWordWrap(True)
        layout.addWidget(self.greeting)
        self.first_steps = FirstStepsPanel()
        self.first_steps.navigate.connect(self.navigate)
        self.first_steps.hide()
        layout.addWidget(self.first_steps)
        self.fig_orgs = _Figure(_("関係機関（有効）"), "building-2")
        self.fig_people = _Figure(_("在任中の担当者"), "users")
        self.fig_cases = _Figure(_("対応中のケース"), "messages-square")
        self.fig_actions = _Figure(_("未完了の宿題事項"), "list-checks")
        self.figures = _CardGrid([self.fig_orgs, self.fig_people, self.fig_cases,
                                  self.fig_actions])
        layout.addWidget(self.figures)
        self.reminder = QLabel(_(
            "4月の人事異動の時期です。関係機関 → 年度更新 で、異動した担当者と後任を"
            "確認してください。"))
        self.reminder.setWordWrap(True)
        set_role(self.reminder, "warning")
        self.reminder.hide()
        layout.addWidget(self.reminder)
        self.audit_reminder = QLabel("")
        self.audit_reminder.setWordWrap(True)
        set_role(self.audit_reminder, "warning")
        self.audit_reminder.hide()
        layout.addWidget(self.audit_reminder)
        lists = QGridLayout()
        lists.setSpacing(10)
        self.upcoming_card = _Section(_("今後の会議"), "calendar-days")
        self.actions_card = _Section(_("未完了の宿題事項（期限の近い順）"), "list-checks")
        self.quiet_card = _Section(_("しばらく支援経過のないケース"), "messages-square", fit=True)
        self.upcoming = self.upcoming_card.list
        self.actions_list = self.actions_card.list
        self.quiet = self.quiet_card.list
        self.quiet_label = self.quiet_card.title
        for card, page in ((self.upcoming_card, _("会議")), (self.actions_card, _("会議")),
                           (self.quiet_card, _("相談"))):
            card.all.clicked.connect(lambda _c=False, p=page: self.navigate.emit(p, ""))
            # One click opens the record (Enter too); the first click of a double-click
            # already left the page, so the record is opened once.
            card.list.itemClicked.connect(self.open_item)
            card.list.itemActivated.connect(self.open_item)
            card.list.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self._opened_at = 0.0
        lists.addWidget(self.upcoming_card, 0, 0)
        lists.addWidget(self.actions_card, 0, 1)
        lists.addWidget(self.quiet_card, 1, 0, 1, 2)
        lists.setRowStretch(0, 1)  # the meetings and tasks take the room the cases leave
        layout.addLayout(lists, 1)
        self.summary: HomeSummary | None = None

    def _show_audit_reminder(self) -> None:
        """Administrators: the monthly 監査ログ確認票 (and the first one, with its key)."""
        self.audit_reminder.hide()
        if not self.ctx.actor.can(Permission.AUDIT_READ):
            return
        from pfdesk.services.audit_anchor import anchor_status

        st = anchor_status(self.ctx)
        if not st.due:
            return
        self.audit_reminder.setText(_(
            "監査ログ確認票の印刷をお願いします（初回は検証キーが印刷されます）。"
            "管理 → 監査ログ →「監査ログ確認票を作る…」") if st.key_pending else _(
            "前回の監査ログ確認票から1か月が過ぎました。管理 → 監査ログ →"
            "「監査ログ確認票を作る…」で印刷し、決裁文書とともに保管してください。"))
        self.audit_reminder.show()

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
        if s.first_steps is not None:
            can = self.ctx.actor.can
            self.first_steps.set_steps(s.first_steps, {
                "directory": can(Permission.DIRECTORY_WRITE),
                "bodies": can(Permission.MEETING_WRITE),
                "cases": can(Permission.CASE_WRITE) and can(Permission.CASE_IDENTIFY)})
        self.first_steps.setVisible(s.first_steps is not None)
        self.fig_orgs.value.setText(f"{s.organizations:,}")
        self.fig_people.value.setText(f"{s.people_in_post:,}")
        self.fig_cases.value.setText("—" if s.open_cases is None else f"{s.open_cases:,}")
        self.fig_actions.value.setText(f"{s.open_action_items:,}")
        self.upcoming.clear()
        for m in s.upcoming:
            self.upcoming.addItem(_openable(
                _("{date}　{body}　第{n}回　{place}").format(
                    date=format_date(m.held_on, weekday=True), body=m.body_name,
                    n=m.number, place=m.place,
                ), _("会議"), f"open_meeting:{m.meeting_id}"))
        if not s.upcoming:
            self.upcoming.addItem(_("予定されている会議はありません。"))
        self.reminder.setVisible(s.rollover_due)
        self._show_audit_reminder()
        self.actions_list.clear()
        for a in s.actions:
            due = format_date(a.due_on) if a.due_on else _("期限なし")
            mark = _("【期限切れ】") if a.overdue else ""
            text = _("{mark}{due}　{what}（{who}）　{body}").format(
                mark=mark, due=due, what=a.description, who=a.assignee or _("担当未定"),
                body=a.body_name)
            self.actions_list.addItem(_openable(text, _("会議"), f"open_actions:{a.meeting_id}")
                                 if a.meeting_id else QListWidgetItem(text))
        if not s.actions:
            self.actions_list.addItem(_("未完了の宿題事項はありません。"))
        self.quiet_card.setVisible(s.quiet_cases is not None)
        # 「すべて表示」 where the list is cut (the lists show the first few only).
        self.upcoming_card.all.setVisible(len(s.upcoming) >= UPCOMING_SHOWN)
        self.actions_card.all.setVisible(s.open_action_items > len(s.actions))
        self.quiet_card.all.setVisible(
            s.quiet_cases is not None and s.quiet_case_count > len(s.quiet_cases))
        self.quiet.clear()
        if s.quiet_cases is not None:
            self.quiet_label.setText(_(
                "{days}日以上 支援経過のない対応中のケース：{n}件（古い順。クリックで開きます）"
            ).format(days=QUIET_DAYS, n=s.quiet_case_count))
            for c in s.quiet_cases:
                text = _("{number}　主担当 {staff}　最後の記録 {last}").format(
                    number=c.case_number, staff=c.lead_staff or _("未定"),
                    last=format_date(c.last_contact) if c.last_contact else _("なし"))
                self.quiet.addItem(_openable(text, _("相談"), f"open_case:{c.case_id}")
                                   if c.case_id else QListWidgetItem(text))
            if not s.quiet_cases:
                self.quiet.addItem(_("ありません。"))

    def open_item(self, item: QListWidgetItem) -> None:
        """Open the meeting, its 宿題事項 or the case behind a listed line."""
        target = item.data(OPEN_ROLE)
        if not target or monotonic() - self._opened_at < 0.5:
            return
        self._opened_at = monotonic()
        self.navigate.emit(*target)
