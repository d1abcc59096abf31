"""The new-case and edit-case form: 受付, 本人, and the support plan, on one screen."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.errors import EditConflict
from pfdesk.core.fiscal import AGE_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_year_month_text
from pfdesk.services.consultations.cases import CaseDetail, CaseInput, create_case, update_case
from pfdesk.services.consultations.referrals import category_for_kind, organization_choices
from pfdesk.services.consultations.same_person import possible_same_person
from pfdesk.services.context import ServiceContext
from pfdesk.ui.autosave import AutosaveTextEdit
from pfdesk.ui.consultations.fields import CodeChecks
from pfdesk.ui.consultations.same_person import NEW, OPEN, SamePersonDialog
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine, code_combo, set_combo
from pfdesk.ui.search_combo import SearchableCombo


def _pair(a: QWidget, b: QWidget) -> QWidget:
    w = QWidget()
    row = QHBoxLayout(w)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(a)
    row.addWidget(b)
    return w


class CaseFormDialog(QDialog):
    """新規ケース / ケースの編集. ``result_case`` holds the saved case after OK."""

    def __init__(self, *, ctx: ServiceContext, case: CaseDetail | None = None, today=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case = ctx, case
        self.result_case: CaseDetail | None = None
        # Set instead of result_case when the clerk chose an existing case of the same person.
        self.existing_case_id: int | None = None
        self._confirmed_other: tuple | None = None  # the person already confirmed as new
        self.setWindowTitle(_("ケースの編集　{n}").format(n=case.case_number) if case
                            else _("新規ケースの受付"))
        self.resize(1060, 720)
        key = f"case:{case.id}" if case else "case:new"

        # 受付
        self.intake_date = DateLine(_("受付日"), required=True)
        self.intake_staff = QLineEdit()
        self.lead_staff = QLineEdit()
        self.route = code_combo(codes.ROUTES, "unknown")
        self.route_org = SearchableCombo(placeholder=_("機関名・読みの一部を入力して選択"))
        self.route_org.add_entry(_("（機関を指定しない）"), None)
        self.kinds: dict[int, str] = {}
        for o in organization_choices(ctx):
            self.route_org.add_entry(o.name, o.id, o.name_kana)
            self.kinds[o.id] = o.kind
        self.route_org.currentIndexChanged.connect(self._propose_route)
        intake = QGroupBox(_("受付"))
        f1 = QFormLayout(intake)
        f1.addRow(_("受付日 *"), self.intake_date)
        f1.addRow(_("受付者"), self.intake_staff)
        f1.addRow(_("主担当"), self.lead_staff)
        f1.addRow(_("相談経路"), self.route)
        f1.addRow(_("経路の機関"), self.route_org)

        # 本人
        self.family_name, self.given_name = QLineEdit(), QLineEdit()
        self.family_name.setPlaceholderText(_("姓"))
        self.given_name.setPlaceholderText(_("名"))
        self.family_kana, self.given_kana = QLineEdit(), QLineEdit()
        self.family_kana.setPlaceholderText(_("せい"))
        self.given_kana.setPlaceholderText(_("めい"))
        self.sex = code_combo(codes.SEXES, "unknown")
        self.birth_date = DateLine(_("生年月日"))
        self.age_band = QComboBox()
        for k, label in AGE_BANDS:
            self.age_band.addItem(_(label), k)
        set_combo(self.age_band, "unknown")
        self.address, self.phone = QLineEdit(), QLineEdit()
        self.household = QLineEdit()
        self.household.setPlaceholderText(_("例: 父・母・本人"))
        self.work_status = code_combo(codes.WORK_STATUSES, "unknown")
        self.school = QLineEdit()
        self.onset = QLineEdit()
        self.onset.setPlaceholderText(_("例: 平成31年4月、H31頃、2019-04（分からなければ空欄）"))
        person = QGroupBox(_("本人"))
        f2 = QFormLayout(person)
        f2.addRow(_("氏名 *"), _pair(self.family_name, self.given_name))
        f2.addRow(_("ふりがな"), _pair(self.family_kana, self.given_kana))
        f2.addRow(_("性別"), self.sex)
        f2.addRow(_("生年月日"), self.birth_date)
        f2.addRow(_("年代（生年月日が不明のとき）"), self.age_band)
        f2.addRow(_("住所"), self.address)
        f2.addRow(_("連絡先"), self.phone)
        f2.addRow(_("同居家族"), self.household)
        f2.addRow(_("就労・就学状況"), self.work_status)
        f2.addRow(_("学校・勤務先"), self.school)
        f2.addRow(_("状態の開始時期"), self.onset)

        # 支援
        self.chief = AutosaveTextEdit(ctx=ctx, draft_key=f"{key}:chief_complaint")
        self.chief.setMinimumHeight(70)
        self.issues = CodeChecks(codes.TOPICS, columns=3)
        self.triggers = CodeChecks(codes.TRIGGERS, columns=2)
        self.policy = AutosaveTextEdit(ctx=ctx, draft_key=f"{key}:policy")
        self.policy.setMinimumHeight(60)
        self.goal = QPlainTextEdit()
        self.goal.setMaximumHeight(60)
        support = QGroupBox(_("主訴と支援"))
        f3 = QFormLayout(support)
        f3.addRow(_("主訴"), self.chief)
        f3.addRow(_("課題"), self.issues)
        f3.addRow(_("きっかけ"), self.triggers)
        f3.addRow(_("支援方針"), self.policy)
        f3.addRow(_("目標"), self.goal)

        left = QVBoxLayout()
        left.addWidget(intake)
        left.addWidget(person)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(support, 1)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        note = QLabel(_("* は必須です。名前が分からないときは「不明」と入力します。"
                        "主訴と支援方針は入力中に自動で下書き保存されます。"))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            _("保存") if case else _("受付を登録"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("キャンセル"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(note)
        outer.addWidget(buttons)

        if case:
            self._fill(case)
        elif today:
            self.intake_date.set_value(today)
            self.intake_staff.setText(ctx.actor.display_name)
            self.lead_staff.setText(ctx.actor.display_name)

    def _propose_route(self) -> None:
        # An organization chosen while the 経路 is still 不明 tells the usual channel.
        if self.route.currentData() != "unknown":
            return
        key = category_for_kind(self.kinds.get(self.route_org.currentData(), ""))
        if key in codes.ROUTES and key != "other":
            set_combo(self.route, key)

    def _fill(self, c: CaseDetail) -> None:
        self.intake_date.set_value(c.intake_date)
        self.intake_staff.setText(c.intake_staff)
        self.lead_staff.setText(c.lead_staff)
        set_combo(self.route, c.route)
        set_combo(self.route_org, c.route_org_id)
        self.family_name.setText(c.family_name)
        self.given_name.setText(c.given_name)
        self.family_kana.setText(c.family_kana)
        self.given_kana.setText(c.given_kana)
        set_combo(self.sex, c.sex)
        self.birth_date.set_value(c.birth_date)
        set_combo(self.age_band, c.recorded_age_band)
        self.address.setText(c.address)
        self.phone.setText(c.phone)
        self.household.setText(c.household)
        set_combo(self.work_status, c.work_status)
        self.school.setText(c.school_or_employer)
        self.onset.setText(format_year_month_text(c.onset))
        self.chief.set_text_quietly(c.chief_complaint)
        self.issues.set_value(c.issues)
        self.triggers.set_value(c.triggers)
        self.policy.set_text_quietly(c.policy)
        self.goal.setPlainText(c.goal)

    def offer_drafts(self, ask=None) -> None:
        """Offer to restore 主訴 / 支援方針 drafts left from an earlier unsaved form."""
        self.chief.offer_restore(ask=ask)
        self.policy.offer_restore(ask=ask)

    def data(self) -> CaseInput:
        """The form as a CaseInput (ValidationError for unreadable dates)."""
        return CaseInput(
            intake_date=self.intake_date.required_value(),
            family_name=self.family_name.text(), given_name=self.given_name.text(),
            family_kana=self.family_kana.text(), given_kana=self.given_kana.text(),
            sex=self.sex.currentData(), birth_date=self.birth_date.value(),
            age_band=self.age_band.currentData(), address=self.address.text(),
            phone=self.phone.text(), household=self.household.text(),
            school_or_employer=self.school.text(), work_status=self.work_status.currentData(),
            onset=self.onset.text(), route=self.route.currentData(),
            route_org_id=self.route_org.currentData(), intake_staff=self.intake_staff.text(),
            lead_staff=self.lead_staff.text(), chief_complaint=self.chief.toPlainText(),
            issues=self.issues.value(), triggers=self.triggers.value(),
            policy=self.policy.toPlainText(), goal=self.goal.toPlainText(),
        )

    def ask_same_person(self, candidates) -> tuple[str | None, int | None]:
        """Show the possibly-same-person step; (choice, case id) as the clerk decided."""
        d = SamePersonDialog(candidates, parent=self)
        d.exec()
        return d.choice, d.case_id

    def _check_same_person(self, data: CaseInput) -> bool:
        """Before a new case: offer existing cases of the same person. True to go on."""
        who = (data.family_kana, data.given_kana, data.birth_date, data.family_name,
               data.given_name)
        if who == self._confirmed_other:
            return True
        found = possible_same_person(self.ctx, *who)
        if not found:
            return True
        choice, case_id = self.ask_same_person(found)
        if choice == NEW:
            self._confirmed_other = who
            return True
        if choice == OPEN and case_id is not None:
            # The typed 主訴・支援方針 stay as drafts; the page opens the chosen case.
            self.existing_case_id = case_id
            for box in (self.chief, self.policy):
                if box.pending():
                    box.save_draft_now()
            self.accept()
        return False

    def save(self) -> None:
        """Save; on a problem say what and keep everything typed."""
        try:
            data = self.data()
            if self.case:
                self.result_case = update_case(self.ctx, self.case.id, data, seen=self.case)
            else:
                if not self._check_same_person(data):
                    return
                self.result_case = create_case(self.ctx, data)
        except EditConflict as e:
            # Saved elsewhere meanwhile: say what changed, keep the typed text; the next
            # 保存 saves it on top of the case as it is now.
            assert isinstance(e.current, CaseDetail)  # update_case reports the case as it is now
            self.case = e.current
            show_error(self, e)
            return
        except Exception as e:  # noqa: BLE001 - shown to the user; the form stays open
            show_error(self, e)
            return
        self.chief.discard_draft()
        self.policy.discard_draft()
        self.accept()

    def reject(self) -> None:
        """Close without saving; what was typed stays as a draft."""
        for box in (self.chief, self.policy):
            if box.pending():
                box.save_draft_now()
        super().reject()
