"""The 支援計画 tab of a case: the assessment, plan and evaluation versions, newest first.

Buttons open the dialogs; the history reads as one page so a successor sees how the
support went. An overdue review date is shown in red.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core import support_codes as sc
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services.area_issues import tags
from pfdesk.services.context import ServiceContext
from pfdesk.services.support import assessments, plans, reviews
from pfdesk.ui.support.dialogs import AssessmentDialog, PlanDialog, ReviewDialog


def _p(label: str, text: str) -> str:
    body = escape(text or "—").replace("\n", "<br>")
    return f"<tr><th align='left' valign='top' width='140'>{escape(label)}</th><td>{body}</td></tr>"


class SupportTab(QWidget):
    """Assessments, plans and evaluations of one case; ``changed`` after a save."""

    changed = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: int | None = None
        self.today = date.today()
        self.assessments: list[assessments.AssessmentRow] = []
        self.plans: list[plans.PlanRow] = []
        self.reviews: list[reviews.ReviewRow] = []
        lay = QVBoxLayout(self)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        row = QHBoxLayout()
        self.assess_button = QPushButton(_("アセスメントを記録"))
        self.plan_button = QPushButton(_("計画を作成・見直し"))
        self.review_button = QPushButton(_("評価を記録"))
        self.print_button = QPushButton(_("支援計画書を PDF に書き出す"))
        can = ctx.actor.can(Permission.CASE_WRITE) and ctx.actor.can(Permission.CASE_IDENTIFY)
        for b in (self.assess_button, self.plan_button, self.review_button):
            b.setVisible(can)
            row.addWidget(b)
        self.print_button.setVisible(ctx.actor.can(Permission.CASE_IDENTIFY)
                                     and ctx.actor.can(Permission.DOCUMENT_PRINT))
        self.print_button.clicked.connect(self.print_plan)
        row.addWidget(self.print_button)
        row.addStretch(1)
        lay.addLayout(row)
        issues_row = QHBoxLayout()
        self.issues_label = QLabel("")
        self.issues_label.setWordWrap(True)
        self.issues_button = QPushButton(_("地域課題を設定"))
        self.issues_button.setVisible(ctx.actor.can(Permission.CASE_WRITE))
        self.issues_button.clicked.connect(self.edit_issues)
        issues_row.addWidget(self.issues_label, 1)
        issues_row.addWidget(self.issues_button)
        lay.addLayout(issues_row)
        self.assess_button.clicked.connect(self.record_assessment)
        self.plan_button.clicked.connect(self.edit_plan)
        self.review_button.clicked.connect(self.record_review)
        self.view = QTextBrowser()
        lay.addWidget(self.view, 1)

    def load(self, case_id: int, *, today: date, editable: bool) -> None:
        """Show the case's cycle; ``editable`` is False for a voided or closed case."""
        self.case_id, self.today = case_id, today
        self.assessments = assessments.list_assessments(self.ctx, case_id)
        self.plans = plans.list_plans(self.ctx, case_id)
        self.reviews = reviews.list_reviews(self.ctx, case_id)
        self.assess_button.setEnabled(editable)
        self.plan_button.setEnabled(editable)
        self.review_button.setEnabled(editable and bool(self.plans))
        self.print_button.setEnabled(bool(self.plans))
        self.status.setText(self._status_text())
        self.view.setHtml(self._html())
        self.issues_button.setEnabled(editable)
        self.issues_label.setText(_("地域課題: {t}").format(
            t="、".join(tags.case_issue_labels(self.ctx, case_id)) or _("なし")))

    def next_review(self) -> date | None:
        """The date the case is next to be reviewed (plan, evaluation or meeting)."""
        return reviews.case_next_review(self.ctx, self.case_id) if self.case_id else None

    def _status_text(self) -> str:
        if not self.plans:
            return _("支援計画はまだありません。アセスメントのあと「計画を作成・見直し」で作成します。"
                     "（相談・情報提供のみで終える場合は計画なしで終結できます）")
        current = self.plans[0]
        due = self.next_review()
        text = _("現在の計画: 第{v}版（{d}作成・{agree}）").format(
            v=current.version, d=format_date(current.made_on), agree=current.agreement_label)
        if due is None:
            self.status.setStyleSheet("")
            return text + _("　次回見直し日: 未定")
        overdue = due < self.today
        self.status.setStyleSheet("color:#b00020; font-weight:bold;" if overdue else "")
        return text + _("　次回見直し日: {d}").format(d=format_date(due)) + (
            _("（期限切れ）") if overdue else "")

    def _html(self) -> str:
        parts = ["<h3>" + escape(_("支援計画")) + "</h3>"]
        if not self.plans:
            parts.append("<p>" + escape(_("なし")) + "</p>")
        for p in self.plans:
            parts.append("<h4>" + escape(_("第{v}版　{d}　{who}").format(
                v=p.version, d=format_date(p.made_on), who=p.made_by)) + "</h4><table>")
            for g in p.goals:
                parts.append(_p(g.term_label, g.text))
            for a in p.actions:
                due = format_date(a.due_on) if a.due_on else _("期限なし")
                parts.append(_p(_("取組"), f"{a.text}（{a.who}・{due}）"))
            agreed = p.agreement_label + (f"（{format_date(p.agreed_on)}）" if p.agreed_on else "")
            parts.append(_p(_("同意"), agreed))
            parts.append(_p(_("見直し予定日"), format_date(p.review_on)))
            if p.note:
                parts.append(_p(_("備考"), p.note))
            parts.append("</table>")
        parts.append("<h3>" + escape(_("評価")) + "</h3>")
        if not self.reviews:
            parts.append("<p>" + escape(_("なし")) + "</p>")
        for r in self.reviews:
            parts.append("<h4>" + escape(_("{d}　計画 第{v}版の評価　{who}").format(
                d=format_date(r.reviewed_on), v=r.plan_version, who=r.reviewer)) + "</h4><table>")
            for res in r.results:
                step = f"　→ {res.next_step}" if res.next_step else ""
                parts.append(_p(sc.GOAL_TERMS.label(res.term),
                                f"{res.goal_text}：{res.result_label}{step}"))
            parts.append(_p(_("成果"), r.outcome_labels))
            parts.append(_p(_("所見"), r.note))
            parts.append(_p(_("今後の方針"), r.next_step))
            if r.next_review_on:
                parts.append(_p(_("次回見直し日"), format_date(r.next_review_on)))
            parts.append("</table>")
        parts.append("<h3>" + escape(_("アセスメント")) + "</h3>")
        if not self.assessments:
            parts.append("<p>" + escape(_("なし")) + "</p>")
        for asm in self.assessments:
            parts.append("<h4>" + escape(_("第{v}版　{d}　{who}").format(
                v=asm.version, d=format_date(asm.assessed_on), who=asm.assessor)) + "</h4><table>")
            parts.append(_p(_("概要"), asm.summary))
            parts.append(_p(_("健康（区分）"), sc.HEALTH_STATES.label(asm.health_state)))
            parts.append(_p(_("ニーズ（区分）"),
                            "、".join(codes.TOPICS.label(k) for k in asm.need_codes)))
            for label, text in asm.texts:
                if text:
                    parts.append(_p(label, text))
            parts.append("</table>")
        return "".join(parts)

    # --- actions ----------------------------------------------------------------------

    def _case(self) -> int:
        """The case shown (the buttons act only after :meth:`load`)."""
        assert self.case_id is not None
        return self.case_id

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.changed.emit()

    def record_assessment(self) -> None:
        """アセスメントを記録 (a new version from the latest)."""
        self._run(AssessmentDialog(ctx=self.ctx, case_id=self._case(), today=self.today,
                                   latest=self.assessments[0] if self.assessments else None,
                                   parent=self))

    def edit_plan(self) -> None:
        """計画を作成・見直し (a new version from the latest)."""
        self._run(PlanDialog(ctx=self.ctx, case_id=self._case(), today=self.today,
                             latest=self.plans[0] if self.plans else None, parent=self))

    def print_plan(self) -> None:
        """支援計画書 of the current plan as PDF where the user chooses."""
        from pfdesk.services.support.plan_sheet import print_plan
        from pfdesk.ui.errors import show_error
        from pfdesk.ui.widgets import ask_save_path

        path = ask_save_path(self, _("支援計画書の保存先"), _("支援計画書.pdf"),
                             _("PDF (*.pdf)"), ".pdf")
        if not path:
            return
        try:
            pages = print_plan(self.ctx, self._case(), path)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        from pfdesk.ui.printing.preview import show_pdf_preview

        # Shown in the preview, to print from there (or read before handing it over).
        self.preview_window = show_pdf_preview(
            self, path, title=_("支援計画書"),
            note=_("書き出しました（{p}ページ）: {path}").format(p=pages, path=path))

    def edit_issues(self) -> None:
        """地域課題を設定 for this case."""
        from pfdesk.ui.area_issues.dialogs import IssuesDialog

        case_id = self._case()
        shown = tags.case_issues(self.ctx, case_id)  # a tag set elsewhere meanwhile is kept
        self._run(IssuesDialog(ctx=self.ctx, what=_("このケース"), current=shown,
                               save=lambda keys: tags.set_case_issues(self.ctx, case_id, keys,
                                                                      seen=shown),
                               parent=self))

    def record_review(self) -> None:
        """評価を記録 for the current plan."""
        if self.plans:
            self._run(ReviewDialog(ctx=self.ctx, case_id=self._case(), plan=self.plans[0],
                                   today=self.today, parent=self))
