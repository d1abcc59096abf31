"""Dialogs of the 実態把握 page: a survey's settings and questions, and choosing respondents."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.services.survey.surveys import (
    KINDS,
    Candidate,
    SurveyDetail,
    SurveyInput,
    get_survey,
    respondent_candidates,
    save_survey,
    set_respondents,
)
from pfdesk.services.survey.template import ALWAYS, CODED, default_questions
from pfdesk.ui.fields import DateLine
from pfdesk.ui.widgets import dialog_buttons, error_label
from pfdesk.ui.window_fit import VerticalScroll

#: Questions whose option list the secretariat may edit here.
EDITABLE = ("family", "states", "triggers", "support", "supporter", "knows_window")


class SurveyDialog(QDialog):
    """新しい調査 / 調査の設定: 年度, 調査名, 提出期限 and the questions of the template."""

    def __init__(self, *, ctx: ServiceContext, fiscal_year: int, detail: SurveyDetail | None = None,
                 previous: SurveyDetail | None = None, parent: QWidget | None = None) -> None:
        """``previous`` (a new survey only): its questions are the starting point."""
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.survey_id: int | None = detail.id if detail else None
        self.setWindowTitle(_("調査の設定") if detail else _("新しい実態把握調査"))
        self.resize(860, 600)  # kept inside the screen by the window fitter (150 % scaling)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fy = QSpinBox()
        self.fy.setRange(2000, 2100)
        self.fy.setValue(detail.fiscal_year if detail else fiscal_year)
        self.fy.setSuffix(_(" 年度"))
        self.title_edit = QLineEdit(detail.title if detail else "")
        self.title_edit.setPlaceholderText(_("例: 令和8年度ひきこもり等に関する実態把握調査"))
        self.deadline = DateLine(_("提出期限"))
        self.deadline.set_value(detail.deadline if detail else None)
        form.addRow(_("年度（西暦）"), self.fy)
        form.addRow(_("調査名"), self.title_edit)
        form.addRow(_("提出期限"), self.deadline)
        layout.addLayout(form)
        questions = (detail.questions if detail else
                     previous.questions if previous else default_questions())
        if detail is None and previous is not None:
            carried = QLabel(_("質問は前回の調査（{title}）の設定を引き継いでいます。").format(
                title=previous.title))
            carried.setWordWrap(True)
            layout.addWidget(carried)
        box = QGroupBox(_("質問（ひな形を調整できます。選択肢は「、」で区切ります。"
                          "「その他」「不明」は自動で付きます）"))
        qform = QFormLayout(box)
        self.asked: dict[str, QCheckBox] = {}
        self.options: dict[str, QLineEdit] = {}
        for key, q in questions.items():
            check = QCheckBox(q["label"])
            check.setChecked(q.get("enabled", True))
            if key in CODED:
                check.setEnabled(False)  # 性別・年代・期間 are always asked
                check.setToolTip(_("集計と報告に使うため、いつも尋ねます。"))
            self.asked[key] = check
            if key in EDITABLE:
                edit = QLineEdit("、".join(o for o in q["options"] if o not in ALWAYS))
                self.options[key] = edit
                qform.addRow(check, edit)
            else:
                qform.addRow(check)
        # The questions scroll inside the dialog when the window is short.
        layout.addWidget(VerticalScroll(box), 1)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, _("保存"), on_ok=self.save))

    def questions(self) -> dict:
        """The questions as adjusted."""
        out = {}
        for key, check in self.asked.items():
            q: dict = {"enabled": check.isChecked()}
            if key in self.options:
                q["options"] = [o for o in self.options[key].text().replace(",", "、").split("、")]
            out[key] = q
        return out

    def save(self) -> None:
        """Save through the service; problems stay in the dialog."""
        try:
            self.survey_id = save_survey(self.ctx, SurveyInput(
                fiscal_year=self.fy.value(), title=self.title_edit.text(),
                deadline=self.deadline.value(), questions=self.questions(),
                note=self.detail.note if self.detail else ""), self.survey_id, seen=self.detail)
        except EditConflict as e:
            # Another PC changed the survey since: the typed settings stay, the message
            # says what changed, and the next save goes on top of the survey as it is now.
            assert self.survey_id is not None
            self.detail = get_survey(self.ctx, self.survey_id)
            self.error.setText(e.user_text())
            return
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        self.accept()


class RespondentsDialog(QDialog):
    """回答者を選ぶ: 民生委員・児童委員 (by 地区) and member organizations from the directory."""

    def __init__(self, *, ctx: ServiceContext, detail: SurveyDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(_("回答者を選ぶ　{title}").format(title=detail.title))
        self.resize(560, 560)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        chosen = {(r.kind, r.district, r.name, r.organization_name) for r in detail.respondents}
        self.candidates: list[Candidate] = respondent_candidates(ctx)
        for c in self.candidates:
            if c.kind == "commissioner":
                where = _("{d}地区").format(d=c.district) if c.district else _("（地区なし）")
                text = _("［{kind}］{where}　{name}").format(
                    kind=_(KINDS[c.kind]), where=where, name=c.name)
            else:
                text = _("［{kind}］{org}").format(kind=_(KINDS[c.kind]), org=c.organization_name)
            item = QListWidgetItem(text, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            was = (c.kind, c.district, c.name, c.organization_name) in chosen
            item.setCheckState(Qt.CheckState.Checked if was else Qt.CheckState.Unchecked)
        buttons = QVBoxLayout()
        all_commissioners = QPushButton(_("民生委員・児童委員をすべて選ぶ"))
        all_commissioners.clicked.connect(lambda: self.check_kind("commissioner"))
        buttons.addWidget(all_commissioners)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, _("保存"), on_ok=self.save))

    def check_kind(self, kind: str) -> None:
        """Tick every candidate of ``kind``."""
        for i, c in enumerate(self.candidates):
            if c.kind == kind:
                self.list.item(i).setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[Candidate]:
        """The ticked candidates, in list order."""
        return [c for i, c in enumerate(self.candidates)
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def save(self) -> None:
        """Save the respondents; problems stay in the dialog."""
        try:
            set_respondents(self.ctx, self.detail.id, self.chosen(),
                            seen=self.detail.respondents)
        except EditConflict as e:
            # Another PC changed the list since: the ticks stay, the message says who is
            # on the list now, and the next save goes on top of it.
            self.detail = get_survey(self.ctx, self.detail.id)
            self.error.setText(e.user_text())
            return
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        self.accept()
