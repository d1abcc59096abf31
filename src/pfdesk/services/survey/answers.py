"""Entering answers: per respondent, rows of anonymous persons; 回収率 and the reminder list.

Remarks are checked for the names, addresses and phone numbers of known cases when they are
saved (as meeting text is): a survey answer names nobody, so such a row is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.identity_scan import build_index
from pfdesk.services.masking import MASK, can_identify
from pfdesk.services.meetings._common import today_of
from pfdesk.services.survey.surveys import (
    RespondentRow,
    get_survey_row,
    respondent_row,
)
from pfdesk.services.survey.template import (
    PersonAnswer,
    check_answer,
    coded_label,
    normalize_questions,
)
from pfdesk.store.models import SurveyPerson, SurveyRespondent


@dataclass(frozen=True)
class RespondentAnswers:
    """What one respondent reported."""

    respondent: RespondentRow
    survey_id: int
    questions: dict
    persons: tuple[PersonAnswer, ...]


@dataclass(frozen=True)
class Collection:
    """回収状況: how many were asked and answered, and who is still to answer."""

    survey_id: int
    asked: int
    answered: int
    known_total: int
    waiting: tuple[RespondentRow, ...]
    deadline: date | None
    today: date

    @property
    def rate(self) -> float:
        """回収率 in percent."""
        return 100.0 * self.answered / self.asked if self.asked else 0.0

    @property
    def overdue(self) -> bool:
        """Whether the deadline has passed with answers still missing."""
        return bool(self.waiting and self.deadline and self.deadline < self.today)


def get_respondent(session: Session, respondent_id: int) -> SurveyRespondent:
    """The respondent or a NotFound naming it."""
    r = session.get(SurveyRespondent, respondent_id)
    if r is None:
        raise NotFound(_("調査の回答者（ID {id}）が見つかりません。").format(id=respondent_id),
                       hint=_("一覧を更新して、もう一度選んでください。"))
    return r


def person_answer(p: SurveyPerson, *, identify: bool = True) -> PersonAnswer:
    """A stored person as plain data; remarks masked for a reader who may not identify."""
    remarks = p.remarks if identify or not p.remarks else MASK
    return PersonAnswer(sex=p.sex, age_band=p.age_band, family=p.family,
                        states=tuple(p.states or ()), period=p.period,
                        triggers=tuple(p.triggers or ()), support=p.support,
                        supporter=p.supporter, knows_window=p.knows_window, remarks=remarks)


def who_of(r: SurveyRespondent) -> str:
    """The respondent as an error message names it."""
    if r.kind == "commissioner":
        return _("{district}{name}").format(
            district=f"{r.district}地区 " if r.district else "", name=r.name)
    return r.organization_name


def apply_answers(s: Session, actor, r: SurveyRespondent, *, known_count: int | None,
                  persons: Sequence[PersonAnswer], answered_on: date | None,
                  row_labels: Sequence[str] | None = None) -> dict:
    """Check every row, then replace the respondent's persons; nothing is written on a problem.

    ``row_labels`` name the rows in messages (「回答シート 5行目」; default 「2人目」).
    Returns the audit details.
    """
    questions = normalize_questions(r.survey.questions)
    problems: list[str] = []
    clean: list[PersonAnswer] = []
    index = build_index(s)
    for n, raw in enumerate(persons, start=1):
        row = row_labels[n - 1] if row_labels else _("{n}人目").format(n=n)
        answer, found = check_answer(questions, raw)
        for label, message in found:
            problems.append(_("{row}「{label}」: {message}").format(
                row=row, label=label, message=message))
        if answer.remarks and index.find(answer.remarks):
            problems.append(_("{row}「備考」: 相談記録にある方の氏名・住所・電話番号などが"
                              "書かれています。実態把握調査は名前のない回答です。削除してください。")
                            .format(row=row))
        clean.append(answer)
    if known_count is not None and known_count < 0:
        problems.append(_("「把握している人数」は0以上の数にしてください。"))
    if known_count is not None and known_count < len(clean):
        problems.append(_("「把握している人数」（{k}人）が、記入された人数（{n}人）より少なくなっています。")
                        .format(k=known_count, n=len(clean)))
    if problems:
        head = _("{who}の回答に{n}件の問題があるため、保存していません。").format(
            who=who_of(r), n=len(problems))
        raise ValidationError("\n".join([head, *problems]),
                              hint=_("問題のある所を直してから、もう一度保存してください。"))
    r.persons.clear()
    s.flush()
    for i, a in enumerate(clean, start=1):
        r.persons.append(SurveyPerson(
            position=i, sex=a.sex, age_band=a.age_band, family=a.family, states=list(a.states),
            period=a.period, triggers=list(a.triggers), support=a.support,
            supporter=a.supporter, knows_window=a.knows_window, remarks=a.remarks))
    r.known_count = len(clean) if known_count is None else known_count
    r.answered_on = answered_on or today_of(s)
    return {"persons": len(clean), "known_count": r.known_count}


def stored_answer(actor, r: SurveyRespondent) -> RespondentAnswers:
    """The respondent's answer as stored, as :func:`respondent_answers` shows it to ``actor``.

    For services already in a unit of work (the check of a stale form, a sheet's preview).
    """
    identify = can_identify(actor)
    return RespondentAnswers(
        respondent=respondent_row(r), survey_id=r.survey_id,
        questions=normalize_questions(r.survey.questions),
        persons=tuple(person_answer(p, identify=identify) for p in r.persons))


@service(Permission.CASE_READ)
def respondent_answers(ctx: ServiceContext, respondent_id: int) -> RespondentAnswers:
    """The persons one respondent reported (備考 hidden from a reader who may not identify)."""
    with ctx.session() as s:
        return stored_answer(ctx.actor, get_respondent(s, respondent_id))


def answer_summary(a: RespondentAnswers) -> str:
    """The answer in one line for a question put to the user (回答日, 人数, rows)."""
    r = a.respondent
    if r.answered_on is None:
        return _("未回答")
    return _("回答日 {d}、把握している人数 {k}人、記入 {n}人").format(
        d=format_date(r.answered_on), k=r.known_count or 0, n=len(a.persons))


@dataclass(frozen=True)
class _AnswerShown:
    """A respondent's answer as the answer form shows it, for the conflict check."""

    answered_on: date | None
    known_count: int | None
    persons: str


ANSWER_LABELS = (("answered_on", _("回答日")), ("known_count", _("把握している人数")),
                 ("persons", _("記入された回答")))


def _answer_shown(known_count: int | None, answered_on: date | None,
                  persons: Sequence[PersonAnswer]) -> _AnswerShown:
    def one(p: PersonAnswer) -> str:
        parts = (coded_label("sex", p.sex), coded_label("age", p.age_band), p.family,
                 "、".join(p.states), coded_label("period", p.period), "、".join(p.triggers),
                 p.support, p.supporter, p.knows_window, p.remarks)
        return "・".join(x for x in parts if x)

    text = _("{n}人: ").format(n=len(persons)) + "／".join(one(p) for p in persons)
    return _AnswerShown(answered_on=answered_on, known_count=known_count, persons=text)


#: The audit actions that save a respondent's answer (who saved it last).
ANSWER_ACTIONS = ("survey.answers", "survey.answers.clear", "survey.import")


def check_answer_seen(s: Session, ctx: ServiceContext, r: SurveyRespondent,
                seen: RespondentAnswers, *, head: str = "", hint: str = "") -> None:
    """Refuse a change from a screen showing ``seen`` when the answer was changed since.

    ``head`` (with ``{who}`` for the respondent and ``{saved}`` for who saved last) and
    ``hint`` replace the form's wording for a change that is not a typed save.
    """
    from pfdesk.services.edit_versions import check_shown

    now = stored_answer(ctx.actor, r)
    check_shown(s, r.id, _answer_shown(seen.respondent.known_count,
                                       seen.respondent.answered_on, seen.persons),
                _answer_shown(r.known_count, r.answered_on, now.persons),
                labels=ANSWER_LABELS,
                what=_("{who}の回答").format(who=who_of(r)), action=ANSWER_ACTIONS,
                head=(lambda saved: head.format(who=who_of(r), saved=saved)) if head
                else None, hint=hint or None, stored=now)


@service(Permission.CASE_WRITE)
def save_answers(ctx: ServiceContext, respondent_id: int, *, known_count: int | None,
                 persons: Sequence[PersonAnswer], answered_on: date | None = None,
                 seen: RespondentAnswers | None = None) -> int:
    """Record a respondent's answer (all rows or none); returns the persons saved.

    ``seen`` (the answer the form opened with) refuses the save with an EditConflict
    when another PC entered, imported or cleared the respondent's answer since.
    """
    with ctx.session() as s:
        r = get_respondent(s, respondent_id)
        if seen is not None:
            check_answer_seen(s, ctx, r, seen)
        detail = apply_answers(s, ctx.actor, r, known_count=known_count, persons=persons,
                               answered_on=answered_on)
        audit.record(s, ctx.actor, "survey.answers", "survey_respondent", [r.id],
                     survey=r.survey_id, **detail)
        s.commit()
        return int(detail["persons"])


@service(Permission.CASE_WRITE)
def clear_answer(ctx: ServiceContext, respondent_id: int, *,
                 seen: RespondentAnswers | None = None) -> None:
    """Take a respondent's answer back to 未回答 (entered by mistake).

    ``seen`` (the answer the screen showed when the user chose to clear it) refuses the
    clearing with an EditConflict when another PC entered, imported or changed the answer
    since: nobody's work is deleted unseen.
    """
    with ctx.session() as s:
        r = get_respondent(s, respondent_id)
        if seen is not None:
            check_answer_seen(s, ctx, r, seen, head=_(
                "{who}の回答は、あなたが取り消しを確かめた後に、ほかのパソコンか画面で保存されて"
                "います{saved}。回答は取り消していません。"), hint=_(
                "一覧を読み直しました。今の回答を確かめてから、取り消す場合はもう一度"
                "「回答を取り消す」を押してください。"))
        r.persons.clear()
        r.known_count = None
        r.answered_on = None
        audit.record(s, ctx.actor, "survey.answers.clear", "survey_respondent", [r.id],
                     survey=r.survey_id)
        s.commit()


@service(Permission.STATS_READ)
def collection(ctx: ServiceContext, survey_id: int) -> Collection:
    """回収状況 of a survey and the reminder list (who has not answered yet)."""
    with ctx.session() as s:
        sv = get_survey_row(s, survey_id)
        answered = [r for r in sv.respondents if r.answered_on is not None]
        return Collection(
            survey_id=sv.id, asked=len(sv.respondents), answered=len(answered),
            known_total=sum(r.known_count or 0 for r in answered),
            waiting=tuple(respondent_row(r) for r in sv.respondents if r.answered_on is None),
            deadline=sv.deadline, today=today_of(s))
