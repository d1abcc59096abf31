"""Dialogs of the support cycle: アセスメント, 支援計画 (a new version) and 評価.

Each calls one service on OK; a problem is shown and the dialog keeps what was typed.
A new assessment or plan starts from the latest version, so revising is editing a copy.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core import support_codes as sc
from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, parse_date_or_none
from pfdesk.services.consultations import referrals
from pfdesk.services.context import ServiceContext
from pfdesk.services.support import assessments, plans, reviews
from pfdesk.ui.consultations.dialogs import FormDialog
from pfdesk.ui.consultations.fields import CodeChecks
from pfdesk.ui.fields import DateLine, code_combo, set_combo


def _text(height: int = 60) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    return box


class AssessmentDialog(FormDialog):
    """アセスメントの記録: a new version, filled in from the latest one when there is one."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, today: date, latest=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("アセスメントの記録"), _("新しい版として保存"), parent)
        self.ctx, self.case_id = ctx, case_id
        # The newest version when opened: another PC's newer version refuses the save.
        self.seen_version = latest.version if latest else 0
        self.resize(820, 760)
        self.set_intro(_("保存すると新しい版になります。これまでの版はそのまま残ります。"
                         "本人に会えていないときは、家族からの聞き取りで記録できます。"))
        self.on = self.date_field(_("実施日"), today)
        self.assessor = QLineEdit(ctx.actor.display_name)
        self.basis = code_combo(sc.ASSESSMENT_BASES, "person")
        self.outing = code_combo(sc.OUTING_LEVELS, "unknown")
        self.health_state = code_combo(sc.HEALTH_STATES, "unknown")
        self.urgency = code_combo(sc.URGENCY, "unknown")
        self.risks = CodeChecks(sc.RISKS, columns=3)
        self.need_codes = CodeChecks(codes.TOPICS, columns=4)
        self.texts = {key: _text() for key, _label in assessments.TEXT_FIELDS}
        rows = [(_("実施日 *"), self.on), (_("記入者"), self.assessor),
                (_("対象"), self.basis)]
        labels = dict(assessments.TEXT_FIELDS)
        rows += [(labels["person_situation"], self.texts["person_situation"]),
                 (labels["family_situation"], self.texts["family_situation"]),
                 (labels["living"], self.texts["living"]),
                 (_("健康（区分）"), self.health_state), (labels["health"], self.texts["health"]),
                 (_("外出の状況"), self.outing), (labels["social"], self.texts["social"]),
                 (labels["strengths"], self.texts["strengths"]),
                 (_("ニーズ（区分）"), self.need_codes), (labels["needs"], self.texts["needs"]),
                 (_("リスク"), self.risks), (labels["risk_note"], self.texts["risk_note"]),
                 (_("緊急度"), self.urgency)]
        for label, w in rows:
            self.form.addRow(label, w)
        if latest is not None:
            set_combo(self.basis, latest.basis)
            set_combo(self.outing, latest.outing)
            set_combo(self.health_state, latest.health_state)
            set_combo(self.urgency, latest.urgency)
            self.risks.set_value(latest.risks)
            self.need_codes.set_value(latest.need_codes)
            by_label = dict(latest.texts)
            for key, label in assessments.TEXT_FIELDS:
                self.texts[key].setPlainText(by_label.get(label, ""))

    def submit(self):
        data = assessments.AssessmentInput(
            assessed_on=self.on.required_value(), assessor=self.assessor.text(),
            basis=self.basis.currentData(), outing=self.outing.currentData(),
            health_state=self.health_state.currentData(), risks=self.risks.value(),
            urgency=self.urgency.currentData(), need_codes=self.need_codes.value(),
            **{key: box.toPlainText() for key, box in self.texts.items()})
        try:
            return assessments.record_assessment(self.ctx, self.case_id, data,
                                                 seen_version=self.seen_version)
        except EditConflict as e:
            # Shown with the newer version; what was typed stays and the next save makes
            # it the version after that one.
            newer = e.current
            assert isinstance(newer, assessments.AssessmentRow)
            self.seen_version = newer.version
            raise


class PlanDialog(FormDialog):
    """支援計画の作成・見直し: goals, agreed actions, agreement and the review date."""

    GOAL_COLS = (_("期間"), _("目標（本人・家族の言葉で）"))
    ACTION_COLS = (_("取組の内容"), _("担当職員"), _("担当機関"), _("期限"))

    def __init__(self, *, ctx: ServiceContext, case_id: int, today: date, latest=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("支援計画の見直し") if latest else _("支援計画の作成"),
                         _("新しい版として保存"), parent)
        self.ctx, self.case_id = ctx, case_id
        # The newest version when opened: another PC's newer version refuses the save.
        self.seen_version = latest.version if latest else 0
        self.resize(900, 720)
        self.set_intro(_("計画は上書きされません。保存すると第{n}版になり、これまでの版は残ります。")
                       .format(n=(latest.version + 1) if latest else 1))
        self.orgs = referrals.organization_choices(ctx)
        self.on = self.date_field(_("作成日"), today)
        self.made_by = QLineEdit(ctx.actor.display_name)
        self.goals = QTableWidget(0, 2)
        self.goals.setHorizontalHeaderLabels(list(self.GOAL_COLS))
        self.goals.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.actions_table = QTableWidget(0, 4)
        self.actions_table.setHorizontalHeaderLabels(list(self.ACTION_COLS))
        self.actions_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.agreement = code_combo(sc.PLAN_AGREEMENTS, "pending")
        self.agreed_on = DateLine(_("同意日"))
        self.review_on = DateLine(_("見直し予定日"), required=True)
        self.note = _text(50)
        add_goal = QPushButton(_("目標を追加"))
        add_goal.clicked.connect(lambda: self.add_goal("short", ""))
        add_action = QPushButton(_("取組を追加"))
        add_action.clicked.connect(lambda: self.add_action())
        self.form.addRow(_("作成日 *"), self.on)
        self.form.addRow(_("作成者"), self.made_by)
        self.form.addRow(_("目標 *"), _with_button(self.goals, add_goal))
        self.form.addRow(_("取組（誰が・いつまでに）"), _with_button(self.actions_table, add_action))
        self.form.addRow(_("本人の同意"), self.agreement)
        self.form.addRow(_("同意日"), self.agreed_on)
        self.form.addRow(_("見直し予定日 *"), self.review_on)
        self.form.addRow(_("備考"), self.note)
        if latest is not None:
            for g in latest.goals:
                self.add_goal(g.term, g.text)
            for a in latest.actions:
                self.add_action(a.text, a.staff, a.organization_id, a.due_on)
        else:
            self.add_goal("short", "")
            self.add_goal("long", "")
            self.add_action()

    def add_goal(self, term: str, text: str) -> None:
        """Append a goal row."""
        row = self.goals.rowCount()
        self.goals.insertRow(row)
        self.goals.setCellWidget(row, 0, code_combo(sc.GOAL_TERMS, term))
        self.goals.setItem(row, 1, QTableWidgetItem(text))

    def add_action(self, text: str = "", staff: str = "", org_id: int | None = None,
                   due: date | None = None) -> None:
        """Append an action row."""
        row = self.actions_table.rowCount()
        self.actions_table.insertRow(row)
        self.actions_table.setItem(row, 0, QTableWidgetItem(text))
        self.actions_table.setItem(row, 1, QTableWidgetItem(staff))
        box = QComboBox()
        box.addItem(_("（なし）"), None)
        for o in self.orgs:
            box.addItem(o.name, o.id)
        set_combo(box, org_id)
        self.actions_table.setCellWidget(row, 2, box)
        self.actions_table.setItem(row, 3, QTableWidgetItem(format_date(due) if due else ""))

    def _combo(self, table: QTableWidget, row: int, col: int) -> QComboBox:
        box = table.cellWidget(row, col)
        assert isinstance(box, QComboBox)  # put there by the add-row buttons
        return box

    def _cell(self, table: QTableWidget, row: int, col: int) -> str:
        item = table.item(row, col)
        return item.text() if item is not None else ""

    def plan_input(self) -> plans.PlanInput:
        """What was typed, as the service's input (dates read here, with their row named)."""
        goals = tuple(plans.GoalInput(self._combo(self.goals, r, 0).currentData(),
                                      self._cell(self.goals, r, 1))
                      for r in range(self.goals.rowCount()))
        actions = []
        for r in range(self.actions_table.rowCount()):
            try:
                due = parse_date_or_none(self._cell(self.actions_table, r, 3))
            except ValidationError as e:
                raise ValidationError(_("取組 {n} の「期限」: {m}").format(n=r + 1, m=e.message),
                                      field="actions") from e
            actions.append(plans.ActionInput(
                self._cell(self.actions_table, r, 0), self._cell(self.actions_table, r, 1),
                self._combo(self.actions_table, r, 2).currentData(), due))
        return plans.PlanInput(
            made_on=self.on.required_value(), review_on=self.review_on.required_value(),
            goals=goals,
            actions=tuple(actions), made_by=self.made_by.text(),
            agreement=self.agreement.currentData(), agreed_on=self.agreed_on.value(),
            note=self.note.toPlainText())

    def submit(self):
        try:
            return plans.save_plan(self.ctx, self.case_id, self.plan_input(),
                                   seen_version=self.seen_version)
        except EditConflict as e:
            # Shown with the newer version; what was typed stays and the next save makes
            # it the version after that one.
            newer = e.current
            assert isinstance(newer, plans.PlanRow)
            self.seen_version = newer.version
            raise


class ReviewDialog(FormDialog):
    """評価の記録: every goal of the current plan judged, the outcomes and the next step."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, plan, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("評価の記録（支援計画 第{v}版）").format(v=plan.version),
                         _("評価を保存"), parent)
        self.ctx, self.case_id, self.plan = ctx, case_id, plan
        self.resize(820, 620)
        self.on = self.date_field(_("評価日"), today)
        self.reviewer = QLineEdit(ctx.actor.display_name)
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.results: list[tuple[int, QComboBox, QLineEdit]] = []
        for i, g in enumerate(plan.goals):
            label = QLabel(f"{g.term_label}：{g.text}")
            label.setWordWrap(True)
            result = code_combo(sc.GOAL_RESULTS, blank=_("（選んでください）"))
            result.setCurrentIndex(0)
            step = QLineEdit()
            step.setPlaceholderText(_("次の一歩"))
            grid.addWidget(label, i, 0)
            grid.addWidget(result, i, 1)
            grid.addWidget(step, i, 2)
            self.results.append((g.id, result, step))
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(2, 1)
        self.outcomes = CodeChecks(sc.OUTCOMES, columns=3)
        self.note = _text(60)
        self.next_step = QLineEdit()
        self.next_review_on = DateLine(_("次回見直し日"))
        self.form.addRow(_("評価日 *"), self.on)
        self.form.addRow(_("評価者"), self.reviewer)
        self.form.addRow(_("目標ごとの評価 *"), grid_box)
        self.form.addRow(_("支援の成果（就労に限りません）"), self.outcomes)
        self.form.addRow(_("所見"), self.note)
        self.form.addRow(_("今後の方針"), self.next_step)
        self.form.addRow(_("次回見直し日"), self.next_review_on)

    def submit(self):
        return reviews.record_review(self.ctx, self.case_id, reviews.ReviewInput(
            plan_id=self.plan.id, reviewed_on=self.on.required_value(),
            results=tuple(reviews.GoalResultInput(goal_id, box.currentData() or "", step.text())
                          for goal_id, box, step in self.results),
            outcomes=self.outcomes.value(), reviewer=self.reviewer.text(),
            note=self.note.toPlainText(), next_step=self.next_step.text(),
            next_review_on=self.next_review_on.value()))


def _with_button(table: QTableWidget, button: QPushButton) -> QWidget:
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    table.setMinimumHeight(120)
    lay.addWidget(table)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    lay.addLayout(row)
    return w
