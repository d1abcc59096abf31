"""Printing a survey: the questionnaires (with 文書番号 from the notices' numbering) and the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.documents.survey.questionnaire import (
    QuestionnaireData,
    SheetAddressee,
    subject,
    write_questionnaires,
)
from pfdesk.documents.survey.report import write_report
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings._common import today_of
from pfdesk.services.printing.gather import office_of
from pfdesk.services.printing.numbers import issue_number, number_text
from pfdesk.services.settings import load_municipality
from pfdesk.services.small_counts import load_rule
from pfdesk.services.survey.results import (
    TABLES,
    previous_survey_id,
    protected,
    results_in_session,
)
from pfdesk.services.survey.surveys import get_survey_row, respondent_row
from pfdesk.services.survey.template import normalize_questions


@dataclass(frozen=True)
class PrintedPaper:
    """A written PDF: where, how many pages, and the 文書番号 it carries."""

    path: Path
    pages: int
    doc_number: str = ""
    copies: int = 1


@service(Permission.DOCUMENT_PRINT, Permission.CASE_WRITE)
def print_questionnaires(ctx: ServiceContext, survey_id: int, out_path: str | Path, *,
                         to_all: bool = False, respondent_ids: Sequence[int] | None = None,
                         waiting_only: bool = False,
                         issued_on: date | None = None) -> PrintedPaper:
    """Write the questionnaires: one per respondent (or the chosen ones), or one 各位 copy.

    ``waiting_only`` sends them again (再依頼) to those who have not answered yet. The
    cover letter takes a 文書番号 from the same numbering as meeting notices the first
    time; printing again in the same 年度 shows the same number.
    """
    with ctx.session() as s:
        sv = get_survey_row(s, survey_id)
        day = issued_on or sv.issued_on or today_of(s)
        if to_all:
            targets: list[SheetAddressee] = []
        else:
            chosen = [r for r in sv.respondents
                      if (respondent_ids is None or r.id in set(respondent_ids))
                      and not (waiting_only and r.answered_on is not None)]
            if not chosen and waiting_only and sv.respondents:
                raise ValidationError(_("未回答の回答者はいません。全員から回答がありました。"))
            if not chosen:
                raise ValidationError(
                    _("調査票を送る回答者がいません。"),
                    hint=_("先に回答者（民生委員・関係機関）を選ぶか、「各位」あての1部を印刷してください。"))
            targets = [SheetAddressee(respondent_row(r).addressee, r.district, r.id)
                       for r in chosen]
        prefix = load_municipality(s).doc_number_prefix
        if not sv.document_number or sv.issued_on is None or (
                fiscal_year_of(sv.issued_on) != fiscal_year_of(day)):
            if prefix.strip():
                row = issue_number(s, prefix=prefix, issued_on=day, kind="survey",
                                   meeting_id=None, subject=sv.title, created_by=ctx.actor.user_name)
                sv.document_number = row.number_text
            else:
                sv.document_number = number_text(_("（記号未設定）"), None)
            sv.issued_on = day
        data = QuestionnaireData(
            office=office_of(s), title=sv.title,
            fiscal_year_label=format_fiscal_year(sv.fiscal_year),
            doc_number=sv.document_number, issued_on=sv.issued_on or day,
            deadline=sv.deadline, questions=normalize_questions(sv.questions),
            addressees=tuple(targets), survey_id=sv.id, reminder=waiting_only and not to_all)
        pages = write_questionnaires(out_path, data)
        audit.record(s, ctx.actor, "survey.print", "survey", [sv.id], copies=len(targets) or 1,
                     to_all=to_all, reminder=data.reminder, doc_number=sv.document_number, file=Path(out_path).name,
                     subject=subject(data))
        s.commit()
        return PrintedPaper(Path(out_path), pages, sv.document_number, len(targets) or 1)


@service(Permission.STATS_READ, Permission.DOCUMENT_PRINT)
def print_report(ctx: ServiceContext, survey_id: int, out_path: str | Path, *,
                 suppress_small: bool = True) -> PrintedPaper:
    """Write the 結果報告 PDF (for the 全体会), compared with the previous survey.

    Small counts are hidden by the 秘匿 setting (as in returns) unless ``suppress_small``
    is False (an internal copy).
    """
    with ctx.session() as s:
        now = results_in_session(s, survey_id)
        prev_id = previous_survey_id(s, survey_id)
        prev = results_in_session(s, prev_id) if prev_id is not None else None
        sv = get_survey_row(s, survey_id)
        questions = normalize_questions(sv.questions)
        tables = [(key, _(heading)) for key, heading, qkey, _a in TABLES
                  if questions[qkey].get("enabled", True)]
        rule = load_rule(s)
        hide = suppress_small and rule.enabled
        shown = protected(now, threshold=rule.threshold, rule=rule.rule) if hide else None
        shown_prev = (protected(prev, threshold=rule.threshold, rule=rule.rule)
                      if hide and prev is not None else None)
        pages = write_report(out_path, now, prev, municipality=load_municipality(s).name,
                             tables=tables, shown=shown, shown_prev=shown_prev,
                             threshold=rule.threshold)
        audit.record(s, ctx.actor, "survey.report", "survey", [survey_id],
                     previous=prev_id, suppressed=hide, file=Path(out_path).name)
        s.commit()
        return PrintedPaper(Path(out_path), pages)
