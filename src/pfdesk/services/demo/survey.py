"""Demo step: 民生委員・児童委員 of みどり川町 by 地区, and two completed 実態把握調査.

令和5年度 (48 people known, as the town's return answers say) and 令和8年度, so the
report has a previous survey to compare with. Deterministic: fixed lists, the demo RNG.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pfdesk.core import codes
from pfdesk.core.fiscal import AGE_BANDS, PERIOD_BANDS
from pfdesk.services.directory._common import person_search_text
from pfdesk.services.survey.template import default_questions
from pfdesk.store.models import (
    Organization,
    Person,
    Post,
    Survey,
    SurveyPerson,
    SurveyRespondent,
)

#: 民生委員・児童委員 (fictional): 姓, 名, せい, めい, 担当地区.
COMMISSIONERS = (
    ("川添", "和子", "かわぞえ", "かずこ", "本町"),
    ("濱口", "誠", "はまぐち", "まこと", "本町"),
    ("西森", "文子", "にしもり", "ふみこ", "川原町"),
    ("岡林", "修", "おかばやし", "おさむ", "川原町"),
    ("竹村", "節子", "たけむら", "せつこ", "中町"),
    ("山中", "登", "やまなか", "のぼる", "西町"),
    ("宮地", "栄子", "みやじ", "えいこ", "西町"),
    ("小松", "健一", "こまつ", "けんいち", "東町"),
    ("田所", "幸子", "たどころ", "さちこ", "北川"),
    ("筒井", "義男", "つつい", "よしお", "北川"),
    ("公文", "弘美", "くもん", "ひろみ", "学園町"),
    ("片岡", "正", "かたおか", "ただし", "奥みどり"),
)

#: Organizations asked besides the 民生委員 (by name in the demo directory).
ORGANIZATIONS = (
    "社会福祉法人みどり川町社会福祉協議会", "みどり川町地域包括支援センター",
    "みどり川町生活相談支援センター", "NPO法人ひだまりの家",
    "みどり川ひきこもり家族会「ひまわり」", "医療法人緑風会みどり川病院",
)

#: People known per respondent: 令和5年度 (sums to 48) and 令和8年度.
KNOWN_2023 = (5, 3, 6, 2, 4, 3, 2, 4, 3, 2, 1, 3, 4, 2, 0, 1, 2, 1)
KNOWN_2026 = (4, 3, 5, 3, 4, 2, 3, 5, 2, 3, 2, 2, 5, 3, 1, 2, None, None)

_REMARKS = ("", "", "", "母親から相談を受けたことがある", "", "近所づきあいはほとんどない",
            "", "家族会を紹介したが、まだ参加していない", "", "")


def _weights(options, weights):
    return [o for o, w in zip(options, weights, strict=True) for _i in range(w)]


def _person(demo, questions: dict, position: int, fy: int) -> SurveyPerson:
    rng = demo.rng
    ages = [k for k, _l in AGE_BANDS if k != "under10"]
    age = rng.choice(_weights(ages, (2, 3, 4, 5, 4, 3, 1) if fy >= 2026 else (3, 4, 5, 4, 3, 2, 1)))
    sex = rng.choice(_weights(["male", "female", "unknown"], (6, 3, 1)))
    period = rng.choice(_weights([k for k, _l in PERIOD_BANDS], (1, 1, 3, 3, 3, 3, 2)))
    states = questions["states"]["options"]
    triggers = [lab for _k, lab in codes.TRIGGERS]
    picked_states = sorted(set(rng.sample(states[:5], rng.choice((1, 1, 2)))),
                           key=states.index)
    picked_triggers = sorted(set(rng.sample(triggers[:6], rng.choice((1, 1, 2))))
                             or {"不明"}, key=triggers.index)
    support = rng.choice(_weights(questions["support"]["options"], (3, 5, 0, 2)))
    supporter = rng.choice(questions["supporter"]["options"][:6]) if support == "支援を受けている" else ""
    return SurveyPerson(
        position=position, sex=sex, age_band=age,
        family=rng.choice(_weights(questions["family"]["options"], (2, 6, 1, 1, 2, 0, 1))),
        states=picked_states, period=period, triggers=picked_triggers, support=support,
        supporter=supporter,
        knows_window=rng.choice(_weights(questions["knows_window"]["options"],
                                         (3 if fy >= 2026 else 2, 5, 0, 2))),
        remarks=rng.choice(_REMARKS))


def _survey(demo, *, fy: int, title: str, deadline: date, issued: date, answered: date,
            number: str, respondents: list[tuple], known: tuple) -> None:
    questions = default_questions()
    sv = Survey(fiscal_year=fy, title=title, deadline=deadline, issued_on=issued,
                document_number=number, questions=questions, note="")
    demo.session.add(sv)
    for i, ((kind, person, org, district), count) in enumerate(
            zip(respondents, known, strict=True), start=1):
        r = SurveyRespondent(
            position=i, kind=kind, person_id=person.id if person else None,
            organization_id=org.id, name=person.full_name if person else "",
            organization_name=org.name, district=district, note="",
            answered_on=None if count is None else answered, known_count=count)
        sv.respondents.append(r)
        for n in range(1, (count or 0) + 1):
            r.persons.append(_person(demo, questions, n, fy))


def generate(demo) -> None:
    """Add the 民生委員 to the directory and the two surveys."""
    s = demo.session
    council = s.scalars(select(Organization).where(
        Organization.kind == "welfare_commissioner").order_by(Organization.id)).first()
    if council is None:
        return
    respondents: list[tuple] = []
    for family, given, fk, gk, district in COMMISSIONERS:
        p = Person(family_name=family, given_name=given, family_kana=fk, given_kana=gk,
                   note="")
        p.search_text = person_search_text(p)
        s.add(p)
        s.flush()
        s.add(Post(person_id=p.id, organization_id=council.id, department=district,
                   title="民生委員・児童委員", start_on=date(2022, 12, 1), is_contact=False))
        respondents.append(("commissioner", p, council, district))
    by_name = {o.name: o for o in s.scalars(select(Organization).where(
        Organization.name.in_(ORGANIZATIONS)))}
    respondents += [("organization", None, by_name[n], "") for n in ORGANIZATIONS
                    if n in by_name]
    n = len(respondents)
    # 令和8年度's letters get their 文書番号 when printed: the demo's numbering of notices
    # for the 年度 starts at 第1号.
    _survey(demo, fy=2023, title="令和5年度ひきこもり等に関する実態把握調査",
            deadline=date(2023, 10, 31), issued=date(2023, 10, 2), answered=date(2023, 10, 27),
            number="み保福第412号", respondents=respondents, known=KNOWN_2023[:n])
    _survey(demo, fy=2026, title="令和8年度ひきこもり等に関する実態把握調査",
            deadline=date(2026, 10, 30), issued=date(2026, 10, 1), answered=date(2026, 10, 26),
            number="", respondents=respondents, known=KNOWN_2026[:n])
