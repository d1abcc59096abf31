"""The .xlsx answer sheet: written per respondent and read back, all rows or none.

Reading checks the 調査番号 and 回答者番号 on 「表紙」, every person row on 「回答」 (the same
checks as typed answers, names in 備考 included) and saves nothing when any problem is
found; the message lists every problem with its sheet and row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.tabular.reading import read_table
from pfdesk.core.wareki import format_fiscal_year, parse_date
from pfdesk.documents.survey.answer_sheet import (
    ANSWERS,
    COLUMNS,
    COVER,
    COVER_ITEMS,
    AnswerSheetData,
    write_answer_sheet,
)
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.survey.answers import apply_answers, get_respondent, who_of
from pfdesk.services.survey.surveys import get_survey_row, respondent_row
from pfdesk.services.survey.template import PersonAnswer, normalize_questions


class RespondentNeeded(ValidationError):
    """A blank (各位) answer sheet: the caller must say whose answer it is."""


@dataclass(frozen=True)
class ImportResult:
    """What an answer sheet brought in."""

    respondent: str
    persons: int
    known_count: int
    replaced: bool


@service(Permission.DOCUMENT_PRINT)
def export_answer_sheet(ctx: ServiceContext, survey_id: int, out_path: str | Path,
                        respondent_id: int | None = None) -> Path:
    """Write the .xlsx answer sheet of one respondent (or a blank one) for ``survey_id``."""
    with ctx.session() as s:
        sv = get_survey_row(s, survey_id)
        who, district = "", ""
        if respondent_id is not None:
            r = get_respondent(s, respondent_id)
            if r.survey_id != sv.id:
                raise ValidationError(_("回答者（ID {r}）はこの調査の回答者ではありません。").format(
                    r=respondent_id))
            row = respondent_row(r)
            who, district = row.addressee, r.district
        write_answer_sheet(out_path, AnswerSheetData(
            survey_id=sv.id, respondent_id=respondent_id, title=sv.title,
            fiscal_year_label=format_fiscal_year(sv.fiscal_year), respondent=who,
            district=district, questions=normalize_questions(sv.questions)))
        audit.record(s, ctx.actor, "survey.sheet.export", "survey", [sv.id],
                     respondent=respondent_id, file=Path(out_path).name)
        s.commit()
    return Path(out_path)


def _number(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text or "").strip().removesuffix("人").strip()
    if not folded:
        return None
    return int(folded) if folded.isdigit() else -1


@service(Permission.IMPORT, Permission.CASE_WRITE)
def import_answer_sheet(ctx: ServiceContext, path: str | Path, *, survey_id: int | None = None,
                        respondent_id: int | None = None) -> ImportResult:
    """Read a returned answer sheet into its respondent's answer; nothing is saved on a problem.

    ``respondent_id`` is needed for a blank (各位) sheet, which carries no 回答者番号.
    """
    src = Path(path)
    cover = read_table(src, sheet=COVER)
    items = {row.values[0]: (row.values[1] if len(row.values) > 1 else "")
             for row in cover.rows if row.values}
    problems: list[str] = []
    sheet_survey = _number(items.get(_(COVER_ITEMS["survey"]), ""))
    if sheet_survey is None or sheet_survey < 0:
        raise ValidationError(
            _("ファイル「{name}」の「表紙」に調査番号がありません。pfdesk で作った回答用紙ではない"
              "ようです。").format(name=src.name), where=str(src))
    if survey_id is not None and sheet_survey != survey_id:
        raise ValidationError(
            _("ファイル「{name}」は別の調査（調査番号 {n}）の回答用紙です。").format(
                name=src.name, n=sheet_survey), where=str(src))
    sheet_respondent = _number(items.get(_(COVER_ITEMS["respondent"]), ""))
    chosen = respondent_id if respondent_id is not None else sheet_respondent
    if chosen is None or chosen < 0:
        raise RespondentNeeded(
            _("ファイル「{name}」には回答者番号がありません（各位あての用紙）。").format(name=src.name),
            hint=_("取り込むときに、どの回答者の回答かを選んでください。"), where=str(src))
    known_text = items.get(_(COVER_ITEMS["known_count"]), "")
    known = _number(known_text)
    if known is None:
        problems.append(_("「表紙」「把握している人数」: 空欄です。いない場合は 0 と記入してください。"))
    elif known < 0:
        problems.append(_("「表紙」「把握している人数」: 「{v}」は数として読めません。").format(
            v=known_text))
    answered_on: date | None = None
    answered_text = items.get(_(COVER_ITEMS["answered_on"]), "")
    if answered_text:
        try:
            answered_on = parse_date(answered_text)
        except ValidationError:
            problems.append(_("「表紙」「回答日」: 「{v}」は日付として読めません。").format(
                v=answered_text))
    table = read_table(src, sheet=ANSWERS)
    col = {h: i for i, h in enumerate(table.headers)}
    persons: list[PersonAnswer] = []
    labels: list[str] = []
    for row in table.rows:
        cells = {key: (row.values[col[_(h)]] if _(h) in col else "") for key, h in COLUMNS}
        if not any(cells.values()):
            continue  # a numbered row left empty
        persons.append(PersonAnswer(
            sex=cells["sex"], age_band=cells["age"], family=cells["family"],
            states=cells["states"], period=cells["period"],  # type: ignore[arg-type]
            triggers=cells["triggers"], support=cells["support"],  # type: ignore[arg-type]
            supporter=cells["supporter"], knows_window=cells["knows_window"],
            remarks=cells["remarks"]))
        labels.append(_("「回答」{row}行目").format(row=row.number))
    with ctx.session() as s:
        sv = get_survey_row(s, sheet_survey)
        r = get_respondent(s, int(chosen))
        if r.survey_id != sv.id:
            raise ValidationError(_("回答者番号 {r} はこの調査の回答者ではありません。").format(r=chosen),
                                  where=str(src))
        replaced = r.answered_on is not None
        try:
            if problems:
                raise ValidationError("")
            detail = apply_answers(s, ctx.actor, r, known_count=known, persons=persons,
                                   answered_on=answered_on, row_labels=labels)
        except ValidationError as e:
            s.rollback()
            more = [line for line in e.args[0].split("\n")[1:] if line] if e.args[0] else []
            all_problems = problems + more
            raise ValidationError(
                "\n".join([_("ファイル「{name}」（{who}）に{n}件の問題があるため、何も取り込んで"
                             "いません。").format(name=src.name, who=who_of(r),
                                                 n=len(all_problems)), *all_problems]),
                hint=_("回答用紙を直して保存し、もう一度取り込んでください。"),
                where=str(src)) from None
        audit.record(s, ctx.actor, "survey.import", "survey_respondent", [r.id],
                     survey=sv.id, file=src.name, replaced=replaced, **detail)
        s.commit()
        return ImportResult(respondent=who_of(r), persons=int(detail["persons"]),
                            known_count=int(detail["known_count"]), replaced=replaced)
