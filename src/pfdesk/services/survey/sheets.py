"""The .xlsx answer sheet: written per respondent and read back, all rows or none.

Reading checks the 調査番号 and 回答者番号 on 「表紙」, every person row on 「回答」 (the same
checks as typed answers, names in 備考 included) and saves nothing when any problem is
found; the message lists every problem with its sheet and row.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.errors import FileProblem, ValidationError
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
from pfdesk.services.survey.answers import (
    ANSWER_ACTIONS,
    RespondentAnswers,
    apply_answers,
    check_answer_seen,
    get_respondent,
    stored_answer,
    who_of,
)
from pfdesk.services.survey.surveys import get_survey_row, respondent_row
from pfdesk.services.survey.template import PersonAnswer, normalize_questions
from pfdesk.store.models import AuditEvent, SurveyRespondent


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


@dataclass(frozen=True)
class _Sheet:
    """A returned answer sheet as read, before any check against the store."""

    survey_id: int
    respondent_id: int
    known: int | None
    answered_on: date | None
    persons: tuple[PersonAnswer, ...]
    labels: tuple[str, ...]
    problems: tuple[str, ...]
    digest: str  # of the file's bytes: the file imported is the file previewed


def _read_sheet(src: Path, survey_id: int | None, respondent_id: int | None) -> _Sheet:
    """Read 「表紙」 and 「回答」; problems of the cells are listed, not raised."""
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
    return _Sheet(survey_id=sheet_survey, respondent_id=int(chosen), known=known,
                  answered_on=answered_on, persons=tuple(persons), labels=tuple(labels),
                  problems=tuple(problems), digest=_digest(src))


def _digest(src: Path) -> str:
    try:
        return hashlib.sha256(src.read_bytes()).hexdigest()
    except OSError as e:
        raise FileProblem(_("ファイル「{name}」を読めません（{e}）。").format(name=src.name, e=e),
                          where=str(src)) from e


def _apply(s: Session, ctx: ServiceContext, src: Path,
           sheet: _Sheet) -> tuple[SurveyRespondent, dict, bool]:
    """Check the sheet against the store and replace the answer (the caller commits or not).

    Returns the respondent, the audit details and whether an entered answer was replaced.
    """
    sv = get_survey_row(s, sheet.survey_id)
    r = get_respondent(s, sheet.respondent_id)
    if r.survey_id != sv.id:
        raise ValidationError(_("回答者番号 {r} はこの調査の回答者ではありません。").format(
            r=sheet.respondent_id), where=str(src))
    replaced = r.answered_on is not None
    try:
        if sheet.problems:
            raise ValidationError("")
        detail = apply_answers(s, ctx.actor, r, known_count=sheet.known,
                               persons=sheet.persons, answered_on=sheet.answered_on,
                               row_labels=sheet.labels)
    except ValidationError as e:
        s.rollback()
        more = [line for line in e.args[0].split("\n")[1:] if line] if e.args[0] else []
        all_problems = [*sheet.problems, *more]
        raise ValidationError(
            "\n".join([_("ファイル「{name}」（{who}）に{n}件の問題があるため、何も取り込んで"
                         "いません。").format(name=src.name, who=who_of(r),
                                             n=len(all_problems)), *all_problems]),
            hint=_("回答用紙を直して保存し、もう一度取り込んでください。"),
            where=str(src)) from None
    return r, detail, replaced


@dataclass(frozen=True)
class SheetPreview:
    """A checked answer sheet before it is imported, and the answer it would replace.

    ``current`` is the respondent's answer as stored at the preview (passed back as the
    import's ``seen``); ``saved_by`` says who saved it last and when; ``sent_at`` is when
    this respondent's sheet was last written out (UTC), when pfdesk wrote it.
    """

    path: str
    file: str
    digest: str
    survey_id: int
    respondent_id: int
    respondent: str
    persons: int
    known_count: int
    answered_on: date | None
    current: RespondentAnswers
    saved_by: str
    saved_at: datetime | None
    sent_at: datetime | None

    @property
    def replaces(self) -> bool:
        """Whether importing replaces an answer already entered."""
        return self.current.respondent.answered_on is not None

    @property
    def changed_since_sent(self) -> bool:
        """Whether that answer was entered or changed after the sheet was written out."""
        return self.replaces and self.saved_at is not None and (
            self.sent_at is None or self.saved_at > self.sent_at)


def _last_sent(s: Session, survey_id: int, respondent_id: int) -> datetime | None:
    """When the respondent's own sheet was last written out (the export's audit event)."""
    rows = s.execute(
        select(AuditEvent.at, AuditEvent.detail_json)
        .where(AuditEvent.action == "survey.sheet.export",
               AuditEvent.target_ids == str(survey_id))
        .order_by(AuditEvent.id.desc())).all()
    for at, detail in rows:
        try:
            if json.loads(detail or "{}").get("respondent") == respondent_id:
                return at
        except (ValueError, AttributeError):
            continue
    return None


@service(Permission.IMPORT, Permission.CASE_WRITE)
def preview_answer_sheet(ctx: ServiceContext, path: str | Path, *, survey_id: int | None = None,
                         respondent_id: int | None = None) -> SheetPreview:
    """Read and check a returned answer sheet without saving; say whose answer it replaces.

    The same problems as :func:`import_answer_sheet` are raised (nothing is saved here);
    pass the result as the import's ``seen``.
    """
    src = Path(path)
    sheet = _read_sheet(src, survey_id, respondent_id)
    from pfdesk.services.edit_versions import editor_text, last_save

    with ctx.session() as s:
        r = get_respondent(s, sheet.respondent_id)
        current = stored_answer(ctx.actor, r)
        last = last_save(s, ANSWER_ACTIONS, r.id) if current.respondent.answered_on else None
        saved_by, saved_at = editor_text(last), last[1] if last else None
        sent_at = _last_sent(s, sheet.survey_id, r.id)
        r, detail, _replaced = _apply(s, ctx, src, sheet)
        s.rollback()  # only checked
        return SheetPreview(
            path=str(src), file=src.name, digest=sheet.digest, survey_id=sheet.survey_id,
            respondent_id=sheet.respondent_id,
            respondent=who_of(r), persons=int(detail["persons"]),
            known_count=int(detail["known_count"]), answered_on=sheet.answered_on,
            current=current, saved_by=saved_by, saved_at=saved_at, sent_at=sent_at)


@service(Permission.IMPORT, Permission.CASE_WRITE)
def import_answer_sheet(ctx: ServiceContext, path: str | Path, *, survey_id: int | None = None,
                        respondent_id: int | None = None,
                        seen: SheetPreview | None = None) -> ImportResult:
    """Read a returned answer sheet into its respondent's answer; nothing is saved on a problem.

    ``respondent_id`` is needed for a blank (各位) sheet, which carries no 回答者番号.
    ``seen`` (the :func:`preview_answer_sheet` the user confirmed) refuses the import as a
    whole when the file or the respondent's answer changed since the preview: nothing is
    replaced that the user did not see.
    """
    src = Path(path)
    sheet = _read_sheet(src, survey_id, respondent_id)
    with ctx.session() as s:
        result = _import_in(s, ctx, src, sheet, seen)
        s.commit()
        return result


@service(Permission.IMPORT, Permission.CASE_WRITE)
def import_previewed_sheets(ctx: ServiceContext, previews: Sequence[SheetPreview], *,
                            skip_answered: bool = False) -> tuple[ImportResult, ...]:
    """Import the sheets the user previewed, all in one transaction: all of them or none.

    ``skip_answered`` leaves the respondents whose answer the preview showed as entered
    (the user chose to keep them). Any sheet changed since its preview, or any answer
    entered or changed since, refuses the whole import.
    """
    by_respondent: dict[int, str] = {}
    for p in previews:
        if p.respondent_id in by_respondent:
            raise ValidationError(_(
                "ファイル「{a}」と「{b}」は、同じ回答者（{who}）の回答用紙です。何も取り込んで"
                "いません。").format(a=by_respondent[p.respondent_id], b=p.file, who=p.respondent),
                hint=_("どちらか一方を選んで、もう一度取り込んでください。"))
        by_respondent[p.respondent_id] = p.file
    chosen = [p for p in previews if not (skip_answered and p.replaces)]
    sheets = [(p, _read_sheet(Path(p.path), p.survey_id, p.respondent_id)) for p in chosen]
    with ctx.session() as s:
        results = tuple(_import_in(s, ctx, Path(p.path), sheet, p) for p, sheet in sheets)
        s.commit()
        return results


def _import_in(s: Session, ctx: ServiceContext, src: Path, sheet: _Sheet,
               seen: SheetPreview | None) -> ImportResult:
    """Import one read sheet in the caller's transaction, checked against its preview."""
    if seen is not None and (sheet.digest != seen.digest
                             or sheet.respondent_id != seen.respondent_id):
        raise ValidationError(
            _("ファイル「{name}」は、取り込みを確かめた後に変更されています。何も取り込んで"
              "いません。").format(name=src.name),
            hint=_("もう一度「回答用紙を取り込む」から、今のファイルを確かめて取り込んでください。"),
            where=str(src))
    if seen is not None:
        check_answer_seen(s, ctx, get_respondent(s, sheet.respondent_id), seen.current,
                          head=_("{who}の回答は、回答用紙「{file}」の取り込みを確かめた後に、"
                                 "ほかのパソコンか画面で保存されています{saved}。何も取り込んで"
                                 "いません。").replace("{file}", _braced(src.name)),
                          hint=_("もう一度「回答用紙を取り込む」から、今の回答を確かめて"
                                 "取り込んでください。"))
    r, detail, replaced = _apply(s, ctx, src, sheet)
    audit.record(s, ctx.actor, "survey.import", "survey_respondent", [r.id],
                 survey=sheet.survey_id, file=src.name, replaced=replaced, **detail)
    return ImportResult(respondent=who_of(r), persons=int(detail["persons"]),
                        known_count=int(detail["known_count"]), replaced=replaced)


def _braced(text: str) -> str:
    """``text`` kept as it is through str.format."""
    return text.replace("{", "{{").replace("}", "}}")
