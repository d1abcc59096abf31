"""実態把握: surveys of 民生委員・児童委員 and member organizations, answers, papers and report.

Each button calls a service; what a role may not do is shown disabled and is refused by
the service anyway. The surveys, the chosen one's respondents and its 回収状況 are read on
the background worker, so the page shows at once (the respondents' answers are many rows
in a large town); PDFs are written there too. The PDF and Excel code is imported when
something is printed or read, not with the page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.fiscal import current_fiscal_year
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services.context import ServiceContext
from pfdesk.services.survey.answers import (
    Collection,
    answer_summary,
    clear_answer,
    collection,
    respondent_answers,
)
from pfdesk.services.survey.surveys import (
    RespondentRow,
    SurveyDetail,
    SurveyRow,
    get_survey,
    list_surveys,
)
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import FlowLayout
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.survey.models import RespondentsModel, SurveysModel
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.widgets import ask_save_path, table_view


def _fitted(view):
    """Columns sized to their content; the name column (1) takes the spare width."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    return view


class SurveyPage(Page):
    """実態把握調査: list, 回収状況 and the respondents of the chosen survey."""

    title = _("実態把握")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("実態把握（実態把握調査）"))
        can = ctx.actor.can
        writer = can(Permission.CASE_WRITE)
        # The buttons wrap onto a second line on a narrow window (125 %/150 % scaling).
        top = FlowLayout()
        self.new_button = self._button(top, _("新しい調査…"), self.new_survey, writer)
        self.edit_button = self._button(top, _("調査の設定・質問…"), self.edit_survey, writer)
        self.respondents_button = self._button(top, _("回答者を選ぶ…"), self.choose_respondents,
                                               writer)
        self.print_button = self._button(top, _("調査票を印刷（PDF）…"), self.print_papers,
                                         writer and can(Permission.DOCUMENT_PRINT))
        self.report_button = self._button(top, _("結果報告（PDF）…"), self.write_report,
                                          can(Permission.DOCUMENT_PRINT))
        layout.addLayout(top)
        self.surveys = SurveysModel(self)
        self.survey_view = _fitted(table_view(self.surveys, single=True))
        self.survey_view.selectionModel().selectionChanged.connect(self._survey_chosen)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.status)
        row = FlowLayout()
        self.answer_button = self._button(row, _("回答を入力…"), self.enter_answers,
                                          writer and can(Permission.CASE_READ))
        self.sheet_button = self._button(row, _("回答用紙（Excel）を書き出す…"), self.write_sheet,
                                         can(Permission.DOCUMENT_PRINT))
        self.import_button = self._button(row, _("回答用紙を取り込む…"), self.import_sheet,
                                          writer and can(Permission.IMPORT))
        self.clear_button = self._button(row, _("回答を取り消す"), self.clear, writer)
        self.waiting_only = QCheckBox(_("未回答のみ（督促の一覧）"))
        self.waiting_only.toggled.connect(self._show_respondents)
        row.addWidget(self.waiting_only)
        lower_layout.addLayout(row)
        self.respondents = RespondentsModel(self)
        self.respondent_view = _fitted(table_view(self.respondents, single=True))
        self.respondent_view.doubleClicked.connect(lambda _i: self.enter_answers())
        lower_layout.addWidget(self.respondent_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.survey_view)
        split.addWidget(lower)
        split.setStretchFactor(1, 3)
        split.setSizes([100, 300])  # the respondents get most of a short window
        layout.addWidget(split, 1)
        self.detail: SurveyDetail | None = None
        self.collected: Collection | None = None  # 回収状況 of ``detail``
        self.loading = False  # a read on the worker has not arrived yet
        self._request = 0  # only the newest read is shown
        self._choosing = False  # the page itself selects a row: not a user's choice
        self._note = ""  # what the last action did, kept under 回収状況 when it is reread

    def _button(self, row: QLayout, text: str, slot, enabled: bool) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: self._guarded(slot))
        button.setEnabled(enabled)
        if not enabled:
            button.setToolTip(_("この操作を行う権限がありません。"))
        row.addWidget(button)
        return button

    def _guarded(self, slot) -> None:
        try:
            slot()
        except Exception as e:  # noqa: BLE001 - shown, logged; the page stays usable
            show_error(self, e)

    # -- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the surveys, keeping the chosen one (read on the background worker)."""
        self._load(self.detail.id if self.detail else None, with_list=True)

    def select_survey(self, survey_id: int) -> None:
        """Show ``survey_id`` (reading the list again when it is not in it yet)."""
        for i, r in enumerate(self.surveys.rows):
            if r.id == survey_id:
                self.survey_view.selectRow(i)
                return
        self._load(survey_id, with_list=True)

    def _current_survey_id(self) -> int | None:
        rows = self.survey_view.selectionModel().selectedRows()
        return self.surveys.row_at(rows[0].row()).id if rows else None

    def _survey_chosen(self, *_args) -> None:
        if self._choosing:
            return
        sid = self._current_survey_id()
        # Until it arrives, nothing acts on the survey shown before.
        self.detail, self.collected = None, None
        self._note = ""
        self._load(sid, with_list=False)

    def _load(self, survey_id: int | None, *, with_list: bool) -> None:
        """Read the surveys (``with_list``) and ``survey_id``'s detail on the worker."""
        self._request += 1
        request = self._request
        self.loading = True
        if self.detail is None:
            self.respondents.set_rows([])
            self.status.setText(_("実態把握調査を読み込んでいます…"))
        ctx = self.ctx

        def gather() -> tuple[list[SurveyRow] | None, SurveyDetail | None, Collection | None]:
            rows = list_surveys(ctx) if with_list else None
            sid = survey_id
            if rows is not None and all(r.id != sid for r in rows):
                sid = rows[0].id if rows else None
            if sid is None:
                return rows, None, None
            return rows, get_survey(ctx, sid), collection(ctx, sid)

        def failed(e: BaseException) -> None:
            if request == self._request:
                self.loading = False
                self.status.setText("")
                show_error(self, e)

        run_in_background(self, gather, title=_("実態把握調査を読み込んでいます"),
                          show_progress=False, on_success=lambda got: self._loaded(request, got),
                          on_failure=failed)

    def _loaded(self, request: int, got) -> None:
        if request != self._request:
            return  # another survey was chosen meanwhile
        rows, self.detail, self.collected = got
        self.loading = False
        if rows is not None:
            self._choosing = True
            try:
                self.surveys.set_rows(rows)
                index = next((i for i, r in enumerate(rows)
                              if self.detail is not None and r.id == self.detail.id), None)
                if index is not None:
                    self.survey_view.selectRow(index)
            finally:
                self._choosing = False
        self._show_respondents()

    def _show_respondents(self) -> None:
        if self.loading and self.detail is None:
            return  # shown when it arrives
        if self.detail is None or self.collected is None:
            self.respondents.set_rows([])
            self.status.setText(_("調査がありません。「新しい調査…」から始めてください。"))
            return
        c = self.collected
        rows = [r for r in self.detail.respondents
                if not self.waiting_only.isChecked() or r.answered_on is None]
        self.respondents.set_rows(rows)
        text = _("回収 {a}/{n}（回収率 {r:.1f}%）　把握人数 {k}人").format(
            a=c.answered, n=c.asked, r=c.rate, k=c.known_total)
        if c.deadline:
            text += _("　提出期限 {d}").format(d=format_date(c.deadline))
        if c.overdue:
            text += _("　― 期限を過ぎて未回答が{n}件あります").format(n=len(c.waiting))
        self.status.setText(text + (f"\n{self._note}" if self._note else ""))

    def _current_respondent(self) -> RespondentRow | None:
        rows = self.respondent_view.selectionModel().selectedRows()
        return self.respondents.row_at(rows[0].row()) if rows else None

    def _need_survey(self) -> SurveyDetail:
        if self.detail is None:
            from pfdesk.core.errors import ValidationError

            raise ValidationError(_("調査を選んでください。"))
        return self.detail

    def _need_respondent(self) -> RespondentRow:
        r = self._current_respondent()
        if r is None:
            from pfdesk.core.errors import ValidationError

            raise ValidationError(_("回答者を選んでください。"))
        return r

    # -- actions ----------------------------------------------------------------------------

    def new_survey(self) -> None:
        """新しい調査."""
        from pfdesk.ui.survey.dialogs import SurveyDialog

        latest = self.surveys.rows[0] if self.surveys.rows else None  # newest 年度 first
        previous = get_survey(self.ctx, latest.id) if latest else None
        dlg = SurveyDialog(ctx=self.ctx, fiscal_year=current_fiscal_year(), previous=previous,
                           parent=self)
        if dlg.exec() and dlg.survey_id is not None:
            self._load(dlg.survey_id, with_list=True)

    def edit_survey(self) -> None:
        """調査の設定・質問."""
        from pfdesk.ui.survey.dialogs import SurveyDialog

        detail = self._need_survey()
        dlg = SurveyDialog(ctx=self.ctx, fiscal_year=detail.fiscal_year, detail=detail,
                           parent=self)
        if dlg.exec():
            self.refresh()

    def choose_respondents(self) -> None:
        """回答者を選ぶ."""
        from pfdesk.ui.survey.dialogs import RespondentsDialog

        dlg = RespondentsDialog(ctx=self.ctx, detail=self._need_survey(), parent=self)
        if dlg.exec():
            self.refresh()

    def enter_answers(self) -> None:
        """回答を入力 for the chosen respondent."""
        from pfdesk.ui.survey.answers_dialog import AnswersDialog

        r = self._need_respondent()
        dlg = AnswersDialog(ctx=self.ctx, answers=respondent_answers(self.ctx, r.id), parent=self)
        if dlg.exec():
            self.refresh()

    def clear(self) -> None:
        """回答を取り消す (back to 未回答), asked on the answer as stored now.

        The question shows the answer read now (and says when it changed since the list
        was shown); the service refuses the clearing when another PC saves it after that.
        """
        r = self._need_respondent()
        shown = respondent_answers(self.ctx, r.id)
        now = shown.respondent
        moved = (now.answered_on, now.known_count) != (r.answered_on, r.known_count)
        if now.answered_on is None:
            QMessageBox.information(self, _("回答を取り消す"), _(
                "「{who}」は未回答です。取り消す回答はありません。").format(who=r.addressee))
            if moved:
                self.refresh()
            return
        lines = [_("「{who}」の回答を取り消して未回答に戻しますか？").format(who=r.addressee),
                 _("今の回答: {summary}").format(summary=answer_summary(shown))]
        if moved:
            lines.append(_("※この回答は、一覧を表示した後に、ほかのパソコンか画面で変わって"
                           "います。"))
        if QMessageBox.question(self, _("回答を取り消す"), "\n".join(lines),
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            clear_answer(self.ctx, r.id, seen=shown)
        finally:
            self.refresh()  # a refusal shows the answer as it is now

    def print_papers(self) -> None:
        """調査票: per respondent, or one 各位 copy."""
        detail = self._need_survey()
        waiting = sum(r.answered_on is None for r in detail.respondents)
        per, all_ = _("回答者ごと（{n}部）").format(n=len(detail.respondents)), _("各位あて（1部）")
        again = _("未回答の回答者だけ・再依頼の文面（{n}部）").format(n=waiting)
        choice, ok = QInputDialog.getItem(self, _("調査票を印刷"), _("作り方"),
                                          [per, all_, again], 0, False)
        if not ok:
            return
        path = ask_save_path(self, _("調査票の保存先"), f"{detail.title}_調査票.pdf",
                             _("PDF (*.pdf)"), ".pdf")
        if not path:
            return
        from pfdesk.services.survey.papers import print_questionnaires

        run_in_background(
            self, lambda: print_questionnaires(self.ctx, detail.id, path, to_all=choice == all_,
                                               waiting_only=choice == again),
            title=_("調査票を作成しています…"),
            on_success=lambda res: self._done(_("調査票 {n}部（{p}ページ）を書き出しました。文書番号: {d}\n{path}")
                                              .format(n=res.copies, p=res.pages, d=res.doc_number,
                                                      path=res.path), res.path, _("調査票")))

    def write_report(self) -> None:
        """結果報告 PDF for the 全体会."""
        detail = self._need_survey()
        path = ask_save_path(self, _("結果報告の保存先"), f"{detail.title}_結果報告.pdf",
                             _("PDF (*.pdf)"), ".pdf")
        if not path:
            return
        from pfdesk.services.survey.papers import print_report

        run_in_background(
            self, lambda: print_report(self.ctx, detail.id, path),
            title=_("結果報告を作成しています…"),
            on_success=lambda res: self._done(_("結果報告（{p}ページ）を書き出しました。\n{path}")
                                              .format(p=res.pages, path=res.path), res.path,
                                              _("結果報告")))

    def write_sheet(self) -> None:
        """The chosen respondent's answer sheet (.xlsx), or a blank one when none is chosen."""
        detail = self._need_survey()
        r = self._current_respondent()
        who = (r.name or r.organization_name) if r else _("各位")
        path = ask_save_path(self, _("回答用紙の保存先"), f"回答用紙_{who}.xlsx",
                             _("Excel ブック (*.xlsx)"), ".xlsx")
        if not path:
            return
        from pfdesk.services.survey.sheets import export_answer_sheet

        export_answer_sheet(self.ctx, detail.id, path, respondent_id=r.id if r else None)
        self._done(_("回答用紙を書き出しました。\n{path}").format(path=path))

    def import_sheet(self) -> None:
        """Read returned answer sheets (one or several); a blank (各位) one goes to the chosen respondent.

        The sheets are checked first (nothing saved); when they would replace answers already
        entered, the question names those respondents and the user replaces them knowingly,
        skips them, or imports nothing. The import is one transaction, refused as a whole when
        a sheet or an answer changed after that choice.
        """
        detail = self._need_survey()
        paths, _f = QFileDialog.getOpenFileNames(self, _("回答用紙を選ぶ（複数選べます）"), "",
                                                 _("Excel ブック (*.xlsx)"))
        if not paths:
            return
        from pfdesk.services.survey.sheets import import_previewed_sheets

        previews = [self._preview(detail.id, path, alone=len(paths) == 1) for path in paths]
        if any(p is None for p in previews):
            return
        checked = [p for p in previews if p is not None]
        skip = False
        if any(p.replaces for p in checked):
            choice = self._replace_choice(checked)
            if choice == "none":
                self._done(_("回答用紙は取り込みませんでした。入力済みの回答はそのままです。"))
                return
            skip = choice == "skip"
        try:
            results = import_previewed_sheets(self.ctx, checked, skip_answered=skip)
        finally:
            self.refresh()  # a refusal shows the answers as they are now
        lines = [_("{who}の回答を取り込みました（把握している人数 {k}人、記入 {n}人）。").format(
            who=r.respondent, k=r.known_count, n=r.persons)
            + (_("前の回答は置き換えました。") if r.replaced else "") for r in results]
        left = [p.respondent for p in checked if skip and p.replaces]
        if left:
            lines.append(_("入力済みの回答をそのままにした回答者: {names}").format(
                names="、".join(left)))
        self._done("\n".join(lines))

    def _preview(self, survey_id: int, path: str, *, alone: bool):
        """The checked sheet, or None when the user declines a blank sheet's respondent."""
        from pfdesk.services.survey.sheets import RespondentNeeded, preview_answer_sheet

        try:
            return preview_answer_sheet(self.ctx, path, survey_id=survey_id)
        except RespondentNeeded as e:
            r = self._current_respondent()
            if r is None or not alone:
                if not alone:
                    e.hint = _("各位あての回答用紙は、回答者を選んでから1つずつ取り込んでください。")
                raise
            ask = QMessageBox.question(self, _("回答用紙を取り込む"), _(
                "この回答用紙には回答者番号がありません（各位あて）。\n"
                "選んでいる「{who}」の回答として取り込みますか？").format(who=r.addressee),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if ask != QMessageBox.StandardButton.Yes:
                return None
            return preview_answer_sheet(self.ctx, path, survey_id=survey_id,
                                        respondent_id=r.id)

    def _replace_choice(self, previews) -> str:
        """Ask about the answers the sheets would replace: "replace", "skip" or "none"."""
        answered = [p for p in previews if p.replaces]
        lines = [_("次の{n}人には、すでに回答が入力されています（回答用紙 {m}件のうち）。").format(
            n=len(answered), m=len(previews))]
        for p in answered:
            lines.append(_("・{who}　今の回答: {summary}").format(
                who=p.respondent, summary=answer_summary(p.current)))
            if p.saved_by:
                lines.append(_("　最後の保存: {who}").format(who=p.saved_by))
            lines.append(_("　回答用紙「{file}」: 把握している人数 {k}人、記入 {n}人").format(
                file=p.file, k=p.known_count, n=p.persons))
            if p.changed_since_sent and p.sent_at is not None:
                lines.append(_("　※回答用紙を書き出した後（{at:%Y/%m/%d %H:%M}（UTC））に入力・"
                               "変更された回答です。").format(at=p.sent_at))
            elif not p.changed_since_sent:
                lines.append(_("　回答用紙を書き出す前に入力された回答です。"))
        lines.append(_("置き換えると、今の回答は失われます。回答用紙の内容で置き換えますか？"))
        box = QMessageBox(QMessageBox.Icon.Warning, _("回答用紙を取り込む"), "\n".join(lines),
                          QMessageBox.StandardButton.NoButton, self)
        replace = box.addButton(_("置き換えて取り込む"), QMessageBox.ButtonRole.AcceptRole)
        skip = (box.addButton(_("回答のある方を除いて取り込む"), QMessageBox.ButtonRole.ActionRole)
                if len(answered) < len(previews) else None)
        none = box.addButton(_("取り込まない"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(none)
        box.exec()
        clicked = box.clickedButton()
        return "replace" if clicked is replace else "skip" if clicked is skip else "none"

    def _done(self, text: str, pdf=None, title: str = "") -> None:
        self._note = text
        self.status.setText(self.status.text().split("\n")[0] + "\n" + text)
        if pdf is not None:  # a written PDF is shown in the preview, to print from there
            from pfdesk.ui.printing.preview import show_pdf_preview

            self.preview_window = show_pdf_preview(self, pdf, title=title, note=text)
