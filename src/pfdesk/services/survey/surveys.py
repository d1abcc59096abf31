"""Surveys: 年度, title, deadline and questions, and who is asked (民生委員 by 地区, organizations)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.kana import sort_key
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings._common import today_of
from pfdesk.services.survey.template import normalize_questions
from pfdesk.store.models import Organization, Person, Post, Survey, SurveyRespondent

#: Respondent kinds: key → label.
KINDS = {"commissioner": "民生委員・児童委員", "organization": "関係機関"}
#: The organization kind whose members answer by 地区.
COMMISSIONER_ORG_KIND = "welfare_commissioner"


@dataclass(frozen=True)
class SurveyInput:
    """What the secretariat sets for a survey."""

    fiscal_year: int
    title: str
    deadline: date | None = None
    questions: dict | None = None
    note: str = ""


@dataclass(frozen=True)
class SurveyRow:
    """A survey in the list, with its 回収率."""

    id: int
    fiscal_year: int
    fiscal_year_label: str
    title: str
    deadline: date | None
    respondents: int
    answered: int
    known_total: int

    @property
    def response_rate(self) -> float:
        """回収率 in percent (0 when nobody was asked)."""
        return 100.0 * self.answered / self.respondents if self.respondents else 0.0


@dataclass(frozen=True)
class RespondentRow:
    """One respondent: who, which 地区, answered when, how many people known."""

    id: int
    kind: str
    name: str
    organization_name: str
    district: str
    answered_on: date | None
    known_count: int | None
    persons_entered: int

    @property
    def addressee(self) -> str:
        """How the letter is addressed: 「○○地区 民生委員・児童委員　山田　花子 様」 or 「○○ 御中」."""
        if self.kind == "commissioner":
            district = _("{d}地区 ").format(d=self.district) if self.district else ""
            return _("{district}民生委員・児童委員　{name} 様").format(
                district=district, name=self.name)
        if self.name:
            return _("{org}　{name} 様").format(org=self.organization_name, name=self.name)
        return _("{org} 御中").format(org=self.organization_name)

    @property
    def group(self) -> str:
        """The 地区 a respondent's answers are counted under (関係機関 for organizations)."""
        if self.kind == "commissioner":
            return self.district or _("地区不明")
        return _("関係機関")


@dataclass(frozen=True)
class SurveyDetail:
    """A survey with its questions and respondents."""

    id: int
    fiscal_year: int
    title: str
    deadline: date | None
    issued_on: date | None
    document_number: str
    questions: dict
    note: str
    respondents: tuple[RespondentRow, ...]

    @property
    def fiscal_year_label(self) -> str:
        """令和8年度."""
        return format_fiscal_year(self.fiscal_year)


@dataclass(frozen=True)
class Candidate:
    """Someone who may be asked: a 民生委員 with 担当地区 or an organization."""

    kind: str
    name: str
    organization_name: str
    district: str = ""
    person_id: int | None = None
    organization_id: int | None = None

    @property
    def key(self) -> tuple:
        """Identity of the candidate across lists."""
        return (self.kind, self.person_id, self.organization_id)


def get_survey_row(session: Session, survey_id: int) -> Survey:
    """The survey or a NotFound naming it."""
    row = session.get(Survey, survey_id)
    if row is None:
        raise NotFound(_("実態把握調査（ID {id}）が見つかりません。").format(id=survey_id),
                       hint=_("`pfdesk survey list` で調査の番号を確かめてください。"))
    return row


def respondent_row(r: SurveyRespondent) -> RespondentRow:
    """A stored respondent as plain data."""
    return RespondentRow(
        id=r.id, kind=r.kind, name=r.name, organization_name=r.organization_name,
        district=r.district, answered_on=r.answered_on, known_count=r.known_count,
        persons_entered=len(r.persons))


def detail_of(sv: Survey) -> SurveyDetail:
    """A stored survey as plain data."""
    return SurveyDetail(
        id=sv.id, fiscal_year=sv.fiscal_year, title=sv.title, deadline=sv.deadline,
        issued_on=sv.issued_on, document_number=sv.document_number,
        questions=normalize_questions(sv.questions), note=sv.note,
        respondents=tuple(respondent_row(r) for r in sv.respondents))


def _check(data: SurveyInput) -> str:
    title = clean_text(data.title)
    if not title:
        raise ValidationError(_("「調査名」を入力してください。"), field="title")
    if not 2000 <= int(data.fiscal_year) <= 2100:
        raise ValidationError(_("「年度」は西暦で入力してください（例: 2026）。"),
                              field="fiscal_year")
    return title


@dataclass(frozen=True)
class _SurveyShown:
    fiscal_year: int
    title: str
    deadline: date | None
    questions: str
    note: str


SURVEY_LABELS = (("fiscal_year", _("年度")), ("title", _("調査名")), ("deadline", _("提出期限")),
                 ("questions", _("質問")), ("note", _("備考")))


def _survey_shown(fiscal_year: int, title: str, deadline: date | None, questions: dict,
                  note: str) -> _SurveyShown:
    """A survey's settings as its dialog shows them: the questions asked, with options."""
    asked = [q["label"].split("（")[0] + ("（" + "、".join(q.get("options") or ()) + "）"
                                          if q.get("options") else "")
             for q in normalize_questions(questions).values() if q.get("enabled", True)]
    return _SurveyShown(fiscal_year, title, deadline, "／".join(asked), note or "")


@service(Permission.CASE_WRITE)
def save_survey(ctx: ServiceContext, data: SurveyInput, survey_id: int | None = None, *,
                seen: SurveyDetail | None = None) -> int:
    """Create a survey (or change one): 年度, 調査名, 提出期限 and the questions as adjusted.

    ``seen`` (the survey as the dialog opened it) refuses a change with an EditConflict
    when another PC changed the survey's settings since.
    """
    from pfdesk.services.edit_versions import check_shown

    title = _check(data)
    questions = normalize_questions(data.questions)
    with ctx.session() as s:
        if survey_id is None:
            sv = Survey(fiscal_year=int(data.fiscal_year), title=title, deadline=data.deadline,
                        questions=questions, note=clean_text(data.note), document_number="")
            s.add(sv)
            s.flush()
            action = "survey.create"
        else:
            sv = get_survey_row(s, survey_id)
            if seen is not None:
                check_shown(s, sv.id, _survey_shown(seen.fiscal_year, seen.title, seen.deadline,
                                                    seen.questions, seen.note),
                            _survey_shown(sv.fiscal_year, sv.title, sv.deadline, sv.questions,
                                          sv.note),
                            labels=SURVEY_LABELS, what=_("調査「{title}」").format(
                                title=sv.title), action="survey.edit")
            sv.fiscal_year, sv.title, sv.deadline = int(data.fiscal_year), title, data.deadline
            sv.questions, sv.note = questions, clean_text(data.note)
            action = "survey.edit"
        audit.record(s, ctx.actor, action, "survey", [sv.id], fiscal_year=sv.fiscal_year)
        s.commit()
        return sv.id


@service(Permission.STATS_READ)
def list_surveys(ctx: ServiceContext) -> list[SurveyRow]:
    """Every survey, newest 年度 first, with respondents, answers and 把握人数."""
    with ctx.session() as s:
        out = []
        for sv in s.scalars(select(Survey).order_by(Survey.fiscal_year.desc(), Survey.id.desc())):
            answered = [r for r in sv.respondents if r.answered_on is not None]
            out.append(SurveyRow(
                id=sv.id, fiscal_year=sv.fiscal_year,
                fiscal_year_label=format_fiscal_year(sv.fiscal_year), title=sv.title,
                deadline=sv.deadline, respondents=len(sv.respondents), answered=len(answered),
                known_total=sum(r.known_count or 0 for r in answered)))
        return out


@service(Permission.STATS_READ)
def get_survey(ctx: ServiceContext, survey_id: int) -> SurveyDetail:
    """One survey with its questions and respondents (no answers)."""
    with ctx.session() as s:
        return detail_of(get_survey_row(s, survey_id))


def candidates_in_session(session: Session, on: date) -> list[Candidate]:
    """民生委員・児童委員 in post on ``on`` (by 地区, the post's 部署) then member organizations."""
    in_post = (or_(Post.start_on.is_(None), Post.start_on <= on),
               or_(Post.end_on.is_(None), Post.end_on >= on))
    out: list[Candidate] = []
    rows = session.execute(
        select(Post, Person, Organization).join(Person, Person.id == Post.person_id)
        .join(Organization, Organization.id == Post.organization_id)
        .where(Organization.kind == COMMISSIONER_ORG_KIND, Organization.active.is_(True),
               Person.merged_into_id.is_(None), *in_post)).all()
    for post, person, org in sorted(rows, key=lambda r: (
            sort_key(r[0].department), sort_key(r[1].full_kana or r[1].full_name))):
        out.append(Candidate(kind="commissioner", name=person.full_name,
                             organization_name=org.name, district=post.department,
                             person_id=person.id, organization_id=org.id))
    orgs = session.scalars(select(Organization).where(
        Organization.active.is_(True), Organization.merged_into_id.is_(None),
        Organization.kind != COMMISSIONER_ORG_KIND)).all()
    for org in sorted(orgs, key=lambda o: sort_key(o.name_kana or o.name)):
        out.append(Candidate(kind="organization", name="", organization_name=org.name,
                             organization_id=org.id))
    return out


@service(Permission.DIRECTORY_READ)
def respondent_candidates(ctx: ServiceContext) -> list[Candidate]:
    """Who may be asked, from the directory: 民生委員 by 地区, then member organizations."""
    with ctx.session() as s:
        return candidates_in_session(s, today_of(s))


@dataclass(frozen=True)
class _RespondentsShown:
    respondents: str


def _respondents_shown(rows) -> _RespondentsShown:
    """The list of respondents as the dialog ticks them (order aside), for comparing."""
    names = sorted(r.addressee for r in rows)
    return _RespondentsShown(_("{n}件: ").format(n=len(names)) + "、".join(names))


@service(Permission.CASE_WRITE)
def set_respondents(ctx: ServiceContext, survey_id: int, chosen: list[Candidate], *,
                    seen: Sequence[RespondentRow] | None = None) -> int:
    """Ask exactly ``chosen``; respondents who already answered cannot be dropped.

    ``seen`` (the respondents the dialog opened with) refuses the save with an
    EditConflict when another PC changed the list since, so its additions are not
    dropped unread. Returns the number of respondents.
    """
    from pfdesk.services.edit_versions import check_shown

    with ctx.session() as s:
        sv = get_survey_row(s, survey_id)
        if seen is not None:
            check_shown(s, sv.id, _respondents_shown(seen),
                        _respondents_shown([respondent_row(r) for r in sv.respondents]),
                        labels=(("respondents", _("回答者")),),
                        what=_("調査「{title}」の回答者").format(title=sv.title),
                        action="survey.respondents")
        wanted = {c.key: c for c in chosen}
        kept: list[SurveyRespondent] = []
        for r in list(sv.respondents):
            key = (r.kind, r.person_id, r.organization_id)
            if key in wanted:
                kept.append(r)
                wanted.pop(key)
            elif r.answered_on is not None or r.persons:
                raise ValidationError(
                    _("「{who}」はすでに回答を入力済みのため、回答者から外せません。").format(
                        who=r.name or r.organization_name),
                    hint=_("回答を取り消してから外してください。"))
            else:
                sv.respondents.remove(r)
        for c in wanted.values():
            if c.kind not in KINDS:
                raise ValidationError(_("回答者の種類「{k}」は選べません。").format(k=c.kind))
            r = SurveyRespondent(kind=c.kind, person_id=c.person_id,
                                 organization_id=c.organization_id, name=clean_text(c.name),
                                 organization_name=clean_text(c.organization_name),
                                 district=clean_text(c.district), note="")
            sv.respondents.append(r)
            kept.append(r)
        order = {c.key: i for i, c in enumerate(chosen)}
        for r in sv.respondents:
            r.position = order.get((r.kind, r.person_id, r.organization_id), len(order))
        s.flush()
        audit.record(s, ctx.actor, "survey.respondents", "survey", [sv.id],
                     count=len(sv.respondents))
        s.commit()
        return len(sv.respondents)
