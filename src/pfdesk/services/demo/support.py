"""Demo step: assessments, plans, evaluations, a 進行管理 round and 地域課題 tags.

Most open cases have an assessment (a quarter of them with the family only, 本人 not yet
met), many a plan, some a revision and evaluations with outcomes other than work; a few
plans are past their review date. Every held 実務者会議 recorded a finding for each case
open on its day. Closed cases with a plan were evaluated before closing. Its own random
stream keeps the other steps' data as it was.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from pfdesk.services.demo.consultations import _insert_many, _next_id
from pfdesk.store.models import (
    Assessment,
    Body,
    Case,
    CaseFinding,
    GoalEvaluation,
    Meeting,
    PlanAction,
    PlanGoal,
    PlanReview,
    SupportPlan,
    utcnow,
)

SEED = 18_2026

GOALS_SHORT = ("週に1回は散歩に出る", "昼夜逆転を少しずつ直したい", "居場所の見学に行ってみる",
               "相談員と月2回話す", "病院に一度相談してみる", "家族と一緒に食事をとる")
GOALS_LONG = ("自分のペースで外に出られるようになる", "家族が安心して暮らせる",
              "好きなことを仲間と続けたい", "将来のことを考えられるようになる")
FAMILY_GOALS = ("母が家族会につながり、気持ちを話せる", "家族が本人への声かけの仕方を学ぶ")
ACTIONS = ("居場所の見学に同行する", "家族面談を月1回行う", "医療機関の受診を調整する",
           "家族会を紹介する", "訪問して本人に手紙を渡す", "就労体験の見学を調整する")
STAFF = ("川口", "田村", "森野")
NOTES = ("計画どおり継続", "家族支援を中心に見直す", "状況の変化を待つ", "関係機関と役割を確認")
FINDING_NOTES = {"revise": ("家族支援を中心に見直す", "関係機関と役割を確認"),
                 "close_candidate": ("本人の意思を確認して終結を検討", "引継ぎ先と調整"),
                 "support_meeting": ("支援会議で情報共有の範囲を検討",)}


def _w(rng: random.Random, pairs) -> str:
    keys, weights = zip(*pairs, strict=True)
    return rng.choices(keys, weights)[0]


class _Ids:
    """The next id of each table the step writes.

    Given here, the rows are plain dicts inserted with one executemany per table: the
    ORM's unit of work spent 15 s of a scale-100 build on 250,000 objects.
    """

    def __init__(self, session) -> None:
        self._next = {m: _next_id(session, m) for m in _MODELS}

    def __call__(self, model) -> int:
        n = self._next[model]
        self._next[model] = n + 1
        return n


_MODELS = (Assessment, SupportPlan, PlanGoal, PlanAction, PlanReview, GoalEvaluation)


class _Rows:
    """The step's rows, table by table, in the order the ORM inserted them before."""

    def __init__(self, session) -> None:
        self.ids = _Ids(session)
        self.now = utcnow()
        self.by_model: dict[type, list[dict]] = {m: [] for m in _MODELS}

    def add(self, model, **values) -> dict:
        row = dict(id=self.ids(model), **values)
        self.by_model[model].append(row)
        return row


def _plan(rng, rows: _Rows, case_id: int, version: int, made_on: date, family_only: bool,
          orgs: list[int]) -> tuple[dict, list[dict]]:
    """A plan's row and its goals' rows (its actions are added too)."""
    agreement = "family" if family_only else _w(rng, (("person", 8), ("pending", 2)))
    plan = rows.add(SupportPlan, case_id=case_id, version=version,
                    made_on=made_on,
                    made_by=rng.choice(STAFF), agreement=agreement,
                    agreed_on=made_on if agreement != "pending" else None,
                    review_on=made_on + timedelta(days=rng.choice((60, 90, 120))),
                    note="", created_at=rows.now)
    short = rng.choice(FAMILY_GOALS if family_only else GOALS_SHORT)
    goals = [rows.add(PlanGoal, plan_id=plan["id"], position=0, term="short", text=short),
             rows.add(PlanGoal, plan_id=plan["id"], position=1, term="long",
                      text=rng.choice(GOALS_LONG))]
    for i, text in enumerate(rng.sample(ACTIONS, rng.choice((1, 2)))):
        rows.add(PlanAction, plan_id=plan["id"], position=i, text=text,
                 staff=rng.choice(STAFF),
                 organization_id=rng.choice(orgs) if orgs and rng.random() < .6 else None,
                 due_on=made_on + timedelta(days=rng.randrange(20, 90)))
    return plan, goals


def _review(rng, rows: _Rows, plan: dict, goals: list[dict], on: date,
            next_on: date | None) -> None:
    outcomes = rng.sample(("ibasho", "outing", "family", "medical", "continuing", "daily_life",
                           "employment"), rng.choice((1, 1, 2)))
    review = rows.add(PlanReview, case_id=plan["case_id"], plan_id=plan["id"],
                      reviewed_on=on,
                      reviewer=plan["made_by"], outcomes_json=_json(outcomes), note="",
                      next_review_on=next_on, next_step=rng.choice(NOTES),
                      created_by=plan["made_by"], created_at=rows.now)
    for g in goals:
        rows.add(GoalEvaluation, review_id=review["id"], goal_id=g["id"], result=_w(rng, (
            ("achieved", 3), ("partly", 4), ("not", 2), ("changed", 1))), next_step="")


def _json(keys) -> str:
    import json

    return json.dumps(list(keys), ensure_ascii=False)


def generate(demo) -> None:
    """Add the support cycle and the 進行管理 findings to the demo town."""
    s, today = demo.session, demo.today
    rng = random.Random(SEED)
    rows = _Rows(s)
    orgs = list(demo.shared.get("org_ids", []))
    cases = s.execute(select(Case.id, Case.intake_date, Case.closed_on, Case.status)
                      .where(Case.voided_at.is_(None)).order_by(Case.id)).all()
    for c in cases:
        end = c.closed_on or today
        if (end - c.intake_date).days < 10 or rng.random() > (.85 if c.status != "closed"
                                                              else .3):
            continue
        family_only = rng.random() < .25
        assessed = c.intake_date + timedelta(days=rng.randrange(3, min(30, (end - c.intake_date)
                                                                        .days)))
        rows.add(
            Assessment,
            case_id=c.id, version=1, assessed_on=assessed, assessor=rng.choice(STAFF),
            basis="family_only" if family_only else _w(rng, (("person", 5),
                                                              ("person_family", 4), ("agency", 1))),
            outing=_w(rng, (("room", 2), ("home", 3), ("nearby", 3), ("interest", 2),
                            ("unknown", 1))),
            health_state=_w(rng, (("treated", 3), ("untreated", 3), ("none", 3), ("unknown", 1))),
            risks_json=_json(rng.sample(("family_aging", "isolation", "poverty", "health",
                                         "violence"), rng.choice((0, 1, 1, 2)))),
            urgency=_w(rng, (("high", 1), ("medium", 4), ("low", 4), ("unknown", 1))),
            needs_json=_json(rng.sample(("withdrawal", "family", "health", "job_search"),
                                        rng.choice((1, 2)))),
            person_situation="", family_situation="母と二人暮らし。" if family_only else "",
            living="", health="", social="", strengths="", needs="", risk_note="",
            created_by="demo", created_at=rows.now)
        made = assessed + timedelta(days=rng.randrange(7, 30))
        if made >= end or rng.random() > .7:
            continue
        plan, goals = _plan(rng, rows, c.id, 1, made, family_only, orgs)
        # Closed cases were evaluated before closing; open ones mostly on time, some late.
        if c.status == "closed":
            _review(rng, rows, plan, goals,
                    max(made, end - timedelta(days=rng.randrange(0, 7))), None)
            continue
        due = plan["review_on"]
        while due < today and rng.random() < .75:
            nxt = due + timedelta(days=90)
            _review(rng, rows, plan, goals, due, nxt if nxt > due else None)
            if rng.random() < .3 and due + timedelta(days=1) < today:
                plan, goals = _plan(rng, rows, c.id, plan["version"] + 1,
                                    due + timedelta(days=1), family_only, orgs)
                due = plan["review_on"]
            else:
                due = nxt
    s.flush()
    for model in _MODELS:  # parents before the rows that point to them
        if rows.by_model[model]:
            _insert_many(s, model.metadata.tables[model.__tablename__], rows.by_model[model])
    _findings(demo, rng)
    area_issues(demo)


def _findings(demo, rng: random.Random) -> None:
    """Every held 実務者会議 found 継続 / 見直し / 終結候補 / 支援会議へ for each open case."""
    s = demo.session
    every = s.scalars(select(Meeting).join(Body).where(
        Body.kind == "practitioners", Meeting.status != "cancelled")
        .order_by(Meeting.held_on)).all()
    # Plain rows in id order (the order the table is read in), inserted in one statement:
    # a finding per open case per meeting is 60,000 rows at scale 100.
    cases = s.execute(select(Case.id, Case.intake_date, Case.closed_on)
                      .where(Case.voided_at.is_(None)).order_by(Case.id)).all()
    rows = []
    # Each case is looked at again at the next meeting (about four months on).
    following = {m.id: (every[i + 1].held_on if i + 1 < len(every)
                        else m.held_on + timedelta(days=120)) for i, m in enumerate(every)}
    for m in (m for m in every if m.status == "held"):
        for c in cases:
            if c.intake_date > m.held_on or (c.closed_on is not None and c.closed_on <= m.held_on):
                continue
            finding = _w(rng, (("continue", 12), ("revise", 4), ("close_candidate", 2),
                               ("support_meeting", 1)))
            rows.append(dict(meeting_id=m.id, case_id=c.id, finding=finding,
                             note=rng.choice(FINDING_NOTES.get(finding, ("",))),
                             next_review_on=following[m.id], recorded_by="demo"))
    if rows:
        s.execute(insert(CaseFinding.metadata.tables[CaseFinding.__tablename__]), rows)


AREA_KEYS = ("ibasho_lack", "transport", "family_aging", "awareness", "work_experience",
             "medical_link", "young_adult_gap")


def area_issues(demo) -> None:
    """地域課題 on about a third of the cases and on the 実務者会議's case-review items."""
    from pfdesk.store.models import AgendaItem, AreaIssueTag

    s = demo.session
    rng = random.Random(SEED + 6)
    for c in s.scalars(select(Case).where(Case.voided_at.is_(None)).order_by(Case.id)):
        if rng.random() < .35:
            for key in rng.sample(AREA_KEYS, rng.choice((1, 1, 2))):
                s.add(AreaIssueTag(issue_key=key, case_id=c.id, tagged_on=c.intake_date,
                                   created_by="demo"))
    items = s.scalars(select(AgendaItem).join(Meeting).join(Body).where(
        Body.kind.in_(("practitioners", "plenary")), Meeting.status == "held")
        .order_by(AgendaItem.id)).all()
    for it in items:
        if rng.random() < .5:
            for key in rng.sample(AREA_KEYS, rng.choice((1, 2))):
                s.add(AreaIssueTag(issue_key=key, agenda_item_id=it.id,
                                   tagged_on=it.meeting.held_on, created_by="demo"))
