"""回答を入力: one respondent's answer — 把握している人数 and one row per anonymous person."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen
from pfdesk.services.survey.answers import RespondentAnswers, save_answers
from pfdesk.services.survey.template import ORDER, PersonAnswer, option_keys
from pfdesk.ui.fields import DateLine
from pfdesk.ui.widgets import dialog_buttons, error_label

_ATTR = {"sex": "sex", "age": "age_band", "period": "period", "family": "family",
         "states": "states", "triggers": "triggers", "support": "support",
         "supporter": "supporter", "knows_window": "knows_window", "remarks": "remarks"}


class MultiChoice(QToolButton):
    """Several options ticked from a menu; the button shows them joined by 「、」."""

    def __init__(self, options: list[str], chosen: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.actions_by_option = {}
        for o in options:
            act = menu.addAction(o)
            act.setCheckable(True)
            act.setChecked(o in chosen)
            act.toggled.connect(self._show)
            self.actions_by_option[o] = act
        self.setMenu(menu)
        self._show()

    def _show(self) -> None:
        self.setText("、".join(self.value()) or _("（選ぶ）"))

    def value(self) -> tuple[str, ...]:
        """The ticked options in list order."""
        return tuple(o for o, a in self.actions_by_option.items() if a.isChecked())

    def set_value(self, chosen: tuple[str, ...]) -> None:
        """Tick exactly ``chosen``."""
        for o, a in self.actions_by_option.items():
            a.setChecked(o in chosen)


class AnswersDialog(QDialog):
    """Enter or correct what one respondent reported; saved all at once by the service."""

    def __init__(self, *, ctx: ServiceContext, answers: RespondentAnswers,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.answers = ctx, answers
        r = answers.respondent
        self.setWindowTitle(_("回答を入力　{who}").format(who=r.addressee))
        self.resize(1100, 520)
        q = answers.questions
        self.keys = [k for k in ORDER if q[k].get("enabled", True)]
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.known = QSpinBox()
        self.known.setRange(0, 999)
        self.known.setSuffix(_(" 人"))
        self.known.setMaximumWidth(120)
        self.known.setValue(r.known_count or len(answers.persons))
        self.answered_on = DateLine(_("回答日"))
        self.answered_on.set_value(r.answered_on)
        form.addRow(_("把握している人数（合計）"), self.known)
        form.addRow(_("回答日（空欄なら今日）"), self.answered_on)
        layout.addLayout(form)
        self.table = QTableWidget(0, len(self.keys))
        self.table.setHorizontalHeaderLabels([q[k]["label"].split("（")[0] for k in self.keys])
        layout.addWidget(self.table, 1)
        row_buttons = QHBoxLayout()
        add = QPushButton(_("1人追加"))
        add.clicked.connect(lambda: self.add_row(PersonAnswer()))
        remove = QPushButton(_("選んだ行を削除"))
        remove.clicked.connect(self.remove_row)
        row_buttons.addWidget(add)
        row_buttons.addWidget(remove)
        row_buttons.addStretch(1)
        layout.addLayout(row_buttons)
        for p in answers.persons:
            self.add_row(p)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, _("保存"), on_ok=self.save))

    def add_row(self, p: PersonAnswer) -> None:
        """A row of inputs showing ``p``."""
        q = self.answers.questions
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c, key in enumerate(self.keys):
            value = getattr(p, _ATTR[key])
            widget: QWidget
            if key in ("states", "triggers"):
                widget = MultiChoice(q[key]["options"], tuple(value))
            elif key == "remarks":
                widget = line = QLineEdit(value)
                line.setPlaceholderText(_("氏名・住所は書かない"))
            else:
                widget = box = QComboBox()
                pairs = option_keys(key) if key in ("sex", "age", "period") else [
                    (o, o) for o in q[key]["options"]]
                if key not in ("sex", "age", "period"):
                    box.addItem("", "")
                for k, label in pairs:
                    box.addItem(label, k)
                box.setCurrentIndex(max(0, box.findData(value)))
            self.table.setCellWidget(row, c, widget)
        self.known.setValue(max(self.known.value(), self.table.rowCount()))

    def remove_row(self) -> None:
        """Drop the current row."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def persons(self) -> list[PersonAnswer]:
        """Every row as typed."""
        out = []
        for row in range(self.table.rowCount()):
            values: dict = {}
            for c, key in enumerate(self.keys):
                w = self.table.cellWidget(row, c)
                if isinstance(w, MultiChoice):
                    values[_ATTR[key]] = w.value()
                elif isinstance(w, QLineEdit):
                    values[_ATTR[key]] = w.text()
                elif isinstance(w, QComboBox):
                    values[_ATTR[key]] = w.currentData() or ""
            out.append(PersonAnswer(**values))
        return out

    def save(self) -> None:
        """Save through the service; every problem is listed here and nothing is saved."""
        try:
            save_answers(self.ctx, self.answers.respondent.id, known_count=self.known.value(),
                         persons=self.persons(), answered_on=self.answered_on.value(),
                         seen=self.answers)
        except EditConflict as e:
            # Another PC changed the answer since: the typed rows stay, the message says
            # what changed, and the next save goes on top of the answer as it is now.
            self.answers = current_seen(e).values
            self.error.setText(e.user_text())
            return
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        self.accept()
