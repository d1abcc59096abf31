"""A small store for returns: the stats fixture plus organizations, meetings and answers.

In FY2025: one 全体会 (2025-07-10, 3 invited: 2 present, 1 proxy; 2 observers), one
実務者会議 held and one cancelled, one 支援会議 with a case agenda item, one 学習会 with
participants 10 + 5 + 3. Organizations: 3 welfare (one merged away, so 2 count),
1 government, 1 inactive health.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from pfdesk.services.returns.answers import ANSWERS_KEY, ReturnAnswers
from pfdesk.services.settings import MUNICIPALITY_KEY, Municipality, write_setting
from pfdesk.store.models import AgendaItem, Attendance, Body, Meeting, Organization, Person
from tests.services import stats_fixture

TOWN = Municipality(
    prefecture="東雲県", name="みどり川町", platform_name="みどり川町ひきこもり支援ネットワーク",
    platform_established="2021-04", secretariat="保健福祉課",
)
ANSWERS = ReturnAnswers(
    window_exists=True, window_name="ひきこもり相談窓口（保健福祉課）",
    publicity_methods="広報誌、ホームページ", survey_done=True, survey_year="令和5年度",
    survey_method="民生委員へのアンケート", survey_count=42,
)

def build(session) -> dict:
    """Add everything and commit."""
    cases = stats_fixture.build(session)
    write_setting(session, MUNICIPALITY_KEY, asdict(TOWN))
    write_setting(session, ANSWERS_KEY, asdict(ANSWERS))
    w1 = Organization(name="みどり川町社会福祉協議会", name_kana="みどりかわちょうしゃかいふくしきょうぎかい",
                      field="welfare", address="本町2-1", phone="0889-52-1111")
    w2 = Organization(name="みどり川地域包括支援センター", field="welfare")
    gone = Organization(name="旧センター", field="welfare")
    gov = Organization(name="みどり川町保健福祉課", field="government")
    old = Organization(name="閉院した診療所", field="health", active=False)
    session.add_all([w1, w2, gone, gov, old])
    session.flush()
    gone.merged_into_id = w2.id
    plenary = Body(name="みどり川町ひきこもり支援ネットワーク全体会", kind="plenary")
    practitioners = Body(name="実務者会議", kind="practitioners", sort_order=1)
    support = Body(name="支援会議", kind="support_meeting", sort_order=2)
    study = Body(name="学習会", kind="study", sort_order=3)
    session.add_all([plenary, practitioners, support, study])
    session.flush()
    person = Person(family_name="秘密", given_name="花子", family_kana="ひみつ",
                    given_kana="はなこ", phone="090-1111-2222")
    session.add(person)
    session.flush()
    m1 = Meeting(body_id=plenary.id, fiscal_year=2025, number=1, held_on=date(2025, 7, 10),
                 status="held", observers=2)
    m1.attendance = [
        Attendance(person_id=person.id, name="秘密　花子", response="present"),
        Attendance(name="委員　二", response="present"),
        Attendance(name="委員　三", response="proxy", proxy_name="代理　四"),
        Attendance(name="委員　五", response="absent"),
    ]
    m1.agenda_items = [AgendaItem(title="令和7年度の取組について", kind="agenda")]
    m2 = Meeting(body_id=practitioners.id, fiscal_year=2025, number=1,
                 held_on=date(2025, 9, 1), status="held", theme="居場所づくり")
    m3 = Meeting(body_id=practitioners.id, fiscal_year=2025, number=2,
                 held_on=date(2025, 12, 1), status="cancelled")
    m4 = Meeting(body_id=support.id, fiscal_year=2025, number=1, held_on=date(2025, 10, 5),
                 status="held")
    m4.agenda_items = [AgendaItem(title="秘密花子さんの支援について", kind="agenda",
                                  case_id=cases["B"].id)]
    m5 = Meeting(body_id=study.id, fiscal_year=2025, number=1, held_on=date(2026, 2, 14),
                 status="held", theme="元当事者に学ぶ", participants_residents=10,
                 participants_agencies=5, participants_families=3)
    m6 = Meeting(body_id=plenary.id, fiscal_year=2024, number=1, held_on=date(2024, 7, 10),
                 status="held")
    session.add_all([m1, m2, m3, m4, m5, m6])
    session.commit()
    return cases
