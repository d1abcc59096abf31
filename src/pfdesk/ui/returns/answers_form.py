"""The 窓口・実態把握 answers form: what a return asks that no record holds."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_year_month
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen
from pfdesk.services.returns.answers import (
    ReturnAnswers,
    get_return_answers,
    has_return_answers,
    save_return_answers,
)
from pfdesk.services.settings import get_municipality
from pfdesk.ui.errors import show_error


class AnswersForm(QWidget):
    """Edit and save the answers; the platform's 名称 and 設置年月 are shown from 設定."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._shown: ReturnAnswers | None = None  # the answers as last loaded or saved
        # The answers as stored when the form showed them: another PC's later save is
        # refused (not overwritten) and shown with what it changed.
        self._seen: ReturnAnswers | None = None
        outer = QVBoxLayout(self)
        intro = QLabel(_("報告の「窓口」「実態把握」の欄に記入する回答です。"
                         "一度保存すると、毎回の報告に使われます。"))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form = QFormLayout()
        self.window_exists = QCheckBox(_("ひきこもり相談窓口がある"))
        self.window_name = QLineEdit()
        self.window_name.setPlaceholderText(_("例: ひきこもり相談窓口（保健福祉課）"))
        self.publicity = QLineEdit()
        self.publicity.setPlaceholderText(_("例: 広報誌、ホームページ、チラシの全戸配布"))
        self.survey_done = QCheckBox(_("実態把握を実施した"))
        self.survey_year = QLineEdit()
        self.survey_year.setPlaceholderText(_("例: 令和5年度"))
        self.survey_method = QLineEdit()
        self.survey_method.setPlaceholderText(_("例: 民生委員・児童委員へのアンケート調査"))
        self.survey_count = QSpinBox()
        self.survey_count.setRange(0, 1_000_000)
        self.survey_count.setSuffix(_(" 人"))
        form.addRow(_("相談窓口"), self.window_exists)
        form.addRow(_("窓口の名称"), self.window_name)
        form.addRow(_("周知方法"), self.publicity)
        form.addRow(_("実態把握"), self.survey_done)
        form.addRow(_("実施年度"), self.survey_year)
        form.addRow(_("方法"), self.survey_method)
        form.addRow(_("把握人数"), self.survey_count)
        self.platform = QLabel("")
        self.platform.setWordWrap(True)
        form.addRow(_("プラットフォーム"), self.platform)
        outer.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        row = QHBoxLayout()
        self.saved = QLabel("")
        row.addWidget(self.saved, 1)
        self.save_button = QPushButton(_("回答を保存"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        outer.addLayout(row)
        outer.addStretch(1)
        self.window_exists.toggled.connect(self._enable)
        self.survey_done.toggled.connect(self._enable)
        if not ctx.actor.can(Permission.RETURN_MAKE):
            self.save_button.setEnabled(False)
            self.saved.setText(_("回答の変更は報告を作成できる利用者が行います。"))

    def _enable(self) -> None:
        self.window_name.setEnabled(self.window_exists.isChecked())
        self.publicity.setEnabled(self.window_exists.isChecked())
        for w in (self.survey_year, self.survey_method, self.survey_count):
            w.setEnabled(self.survey_done.isChecked())

    def has_unsaved_changes(self) -> bool:
        """Whether the fields differ from the answers last loaded or saved."""
        return self._shown is not None and self.value() != self._shown

    def refresh(self) -> None:
        """Load the stored answers and the platform's settings (typed, unsaved answers stay)."""
        if self.has_unsaved_changes():
            # Coming back to the tab or the page must not wipe what was typed before saving.
            self.saved.setText(_("保存していない変更があります。「回答を保存」を押してください。"))
        else:
            self._seen = get_return_answers(self.ctx)
            self.set_value(self._seen)
            self._shown = self.value()
        if (self.save_button.isEnabled() and not has_return_answers(self.ctx)
                and not self.has_unsaved_changes()):
            self.saved.setText(_("まだ保存されていません。保存するまで、報告の窓口・実態把握の欄は"
                                 "空欄になります。"))
        m = get_municipality(self.ctx)
        est = m.platform_established
        try:
            y, mo = (int(x) for x in est.split("-")[:2])
            est = format_year_month(y, mo)
        except ValueError:
            pass
        self.platform.setText(
            _("{name}（設置 {est}）　※名称と設置年月は「設定」で変更します。").format(
                name=m.platform_name or _("未設定"), est=est or _("未設定"))
        )

    def set_value(self, a: ReturnAnswers) -> None:
        """Show ``a`` in the fields."""
        self.window_exists.setChecked(a.window_exists)
        self.window_name.setText(a.window_name)
        self.publicity.setText(a.publicity_methods)
        self.survey_done.setChecked(a.survey_done)
        self.survey_year.setText(a.survey_year)
        self.survey_method.setText(a.survey_method)
        self.survey_count.setValue(a.survey_count or 0)
        self._enable()

    def value(self) -> ReturnAnswers:
        """The answers as typed."""
        return ReturnAnswers(
            window_exists=self.window_exists.isChecked(),
            window_name=self.window_name.text().strip(),
            publicity_methods=self.publicity.text().strip(),
            survey_done=self.survey_done.isChecked(),
            survey_year=self.survey_year.text().strip(),
            survey_method=self.survey_method.text().strip(),
            survey_count=self.survey_count.value() if self.survey_done.isChecked() else None,
        )

    def save(self) -> bool:
        """Check and store; a problem is shown next to the form, nothing typed is lost."""
        try:
            saved = save_return_answers(self.ctx, self.value(), seen=self._seen)
        except EditConflict as e:
            # Saved on another PC since: the typed answers stay, the message says what
            # changed, and the next save goes on top of the answers as they are now.
            self._seen = current_seen(e).values
            self.error.setText(e.user_text())
            self.saved.setText("")
            return False
        except ValidationError as e:
            self.error.setText(e.user_text())
            widget = {"window_name": self.window_name, "survey_year": self.survey_year,
                      "survey_count": self.survey_count}.get(e.field)
            if widget is not None:
                widget.setFocus()
            return False
        except Exception as e:  # noqa: BLE001 - shown; the typed answers stay in the form
            show_error(self, e)
            return False
        self.error.setText("")
        self.saved.setText(_("保存しました。"))
        self._seen = saved
        self._shown = self.value()
        return True
