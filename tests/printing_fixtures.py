"""Meetings with cases, consents, materials and action items, built through the models.

Used by the printing tests of every layer; ``build_meeting`` returns the ids it made.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from pfdesk.services.demo.town import TOWN
from pfdesk.services.settings import MUNICIPALITY_KEY, write_setting
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    Case,
    Consent,
    ConsentOrganization,
    Contact,
    Decision,
    Material,
    Meeting,
    Organization,
    Referral,
)

#: Identifying data of the test cases; none may appear where the meeting may not see it.
CASES = [
    dict(family_name="鷹取", given_name="凛太郎", family_kana="タカトリ", given_kana="リンタロウ",
         address="東雲県みどり川町栄町4丁目17番地", phone="0889-55-7781",
         school_or_employer="みどり川第二中学校", birth_date=date(2001, 6, 14),
         household="母・祖母", chief_complaint="昼夜逆転で外出できない"),
    dict(family_name="𠮷野", given_name="美咲", family_kana="ヨシノ", given_kana="ミサキ",
         address="東雲県みどり川町北原2-8", phone="090-3321-4456",
         school_or_employer="株式会社みどり川精機", birth_date=date(1988, 2, 29),
         household="父", chief_complaint="退職後に家から出られない"),
    dict(family_name="髙﨑", given_name="悠真", family_kana="タカサキ", given_kana="ユウマ",
         address="東雲県みどり川町南浜9-1-3", phone="0889-56-0042",
         school_or_employer="東雲県立みどり川高校", birth_date=date(2007, 11, 3),
         household="両親・妹", chief_complaint="不登校が続いている"),
]


@dataclass
class Built:
    """Ids of what :func:`build_meeting` created."""

    meeting_id: int
    previous_meeting_id: int
    body_id: int
    case_ids: list[int] = field(default_factory=list)
    org_ids: list[int] = field(default_factory=list)


def _pdf_bytes(pages: int = 2) -> bytes:
    import io

    buf = io.BytesIO()
    c = Canvas(buf)
    for i in range(pages):
        c.drawString(72, 700, f"Attached report page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _attach(store, data: bytes, suffix: str) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    name = f"{digest}{suffix}"
    store.paths.attachments.mkdir(parents=True, exist_ok=True)
    (store.paths.attachments / name).write_bytes(data)
    return name, digest


def build_meeting(store, kind: str = "practitioners", *, consents: bool = True,
                  settings: bool = True) -> Built:
    """A body of ``kind`` with a previous and a current meeting, three cases and materials."""
    with store.session() as s:
        if settings:
            write_setting(s, MUNICIPALITY_KEY, asdict(TOWN))
        orgs = [
            Organization(name="みどり川町保健福祉課", field="municipal"),
            Organization(name="みどり川町社会福祉協議会", field="welfare"),
            Organization(name="東雲県中央保健所", field="health"),
            Organization(name="NPO法人ひだまり", field="npo"),
        ]
        s.add_all(orgs)
        names = {"practitioners": "みどり川町ひきこもり支援ネットワーク実務者会議",
                 "support_meeting": "みどり川町支援会議", "plenary": "みどり川町ひきこもり支援ネットワーク全体会",
                 "study": "ひきこもり学習会・情報交換会"}
        body = Body(name=names.get(kind, "みどり川町ケース会議"), kind=kind, numbering="fiscal")
        s.add(body)
        s.flush()
        prev = Meeting(body_id=body.id, fiscal_year=2026, number=2, held_on=date(2026, 9, 10),
                       start_time=time(14), end_time=time(16), place="みどり川町役場 2階 第1会議室",
                       status="held")
        m = Meeting(body_id=body.id, fiscal_year=2026, number=3, held_on=date(2026, 12, 10),
                    start_time=time(14), end_time=time(15, 30),
                    place="みどり川町保健センター 多目的室", online=True,
                    reply_deadline=date(2026, 11, 30), observers=2,
                    next_plan="令和9年2月中旬に開催予定（日程は追って連絡）")
        s.add_all([prev, m])
        s.flush()
        people = [
            ("保健福祉課", "課長", "森野　和也", "secretariat", "present", 0),
            ("みどり川町社会福祉協議会", "地域福祉係長", "川端　さゆり", "chair", "present", 1),
            ("東雲県中央保健所", "保健師", "岡本　健", "member", "proxy", 2),
            ("NPO法人ひだまり", "代表", "西田　直子", "member", "absent", 3),
        ]
        for i, (aff, title, name, role, resp, org) in enumerate(people):
            s.add(Attendance(meeting_id=m.id, position=i, organization_id=orgs[org].id,
                             affiliation=aff, title=title, name=name, role=role,
                             response=resp, proxy_name="佐伯　航" if resp == "proxy" else "",
                             proxy_title="主任" if resp == "proxy" else ""))
        s.add(Attendance(meeting_id=m.id, position=9, organization_id=orgs[3].id,
                         affiliation="NPO法人ひだまり", role="observer", response="pending"))
        cases = []
        base = s.scalar(select(func.count()).select_from(Case)) or 0
        for n, data in enumerate(CASES, start=1):
            c = Case(case_number=f"R8-{base + n:04d}", fiscal_year=2026, serial=base + n,
                     intake_date=date(2026, 4, 10 + n), route="social_welfare_council",
                     sex=("male", "female", "male")[n - 1], age_band="20s", status="active",
                     issues_json='["withdrawal", "family"]', triggers_json='["school_refusal"]',
                     policy="週1回の訪問を継続", goal="居場所への参加", **data)
            cases.append(c)
        s.add_all(cases)
        s.flush()
        for c in cases:
            for k in range(3):
                s.add(Contact(case_id=c.id, occurred_at=datetime(2026, 5 + k * 2, 12, 10),
                              method=("phone", "home_visit", "visit_office")[k],
                              requester=("family", "self", "agency")[k], main_topic="withdrawal",
                              topics_json='["withdrawal"]', staff="森野",
                              body=f"{c.family_name}さん宅を訪問。母と面談し近況を聞いた。"))
            s.add(Referral(case_id=c.id, organization_id=orgs[1].id, category="npo",
                           referred_on=date(2026, 6, 1), status="started"))
        if consents:
            # Case 2: consent to all members. Case 3: consent that leaves out the 保健所.
            s.add(Consent(case_id=cases[1].id, given_on=date(2026, 5, 1), scope_all=True))
            partial = Consent(case_id=cases[2].id, given_on=date(2026, 5, 1), scope_all=False)
            partial.organizations = [ConsentOrganization(organization_id=orgs[0].id),
                                     ConsentOrganization(organization_id=orgs[1].id)]
            s.add(partial)
            # Case 1: consent given, then withdrawn before the meeting.
            s.add(Consent(case_id=cases[0].id, given_on=date(2026, 4, 20), scope_all=True,
                          withdrawn_on=date(2026, 10, 1)))
        items = [
            AgendaItem(meeting_id=m.id, position=1, kind="agenda", title="相談状況について",
                       presenter="事務局", summary="今年度の相談件数は前年並み。20代の新規が増加。"),
            AgendaItem(meeting_id=m.id, position=4, kind="report", title="前回の対応事項の状況",
                       presenter="事務局", summary="継続案件2件。"),
        ]
        for n, c in enumerate(cases):
            items.append(AgendaItem(meeting_id=m.id, position=2 + n, kind="agenda",
                                    title=f"事例検討{'ABC'[n]}", case_id=c.id,
                                    summary=f"{c.family_name}{c.given_name}さんについて検討。"
                                    "訪問を継続する。"))
        s.add_all(items)
        s.flush()
        items[0].materials.append(Material(position=1, title="相談状況（令和8年度）",
                                           generated="stats"))
        pdf_name, pdf_sha = _attach(store, _pdf_bytes(), ".pdf")
        items[0].materials.append(Material(position=2, title="県の調査結果", original_name="調査.pdf",
                                           stored_name=pdf_name, sha256=pdf_sha))
        xlsx_name, xlsx_sha = _attach(store, b"PK\x03\x04 not really excel", ".xlsx")
        items[0].materials.append(Material(position=3, title="関係機関一覧", is_reference=True,
                                           original_name="機関一覧.xlsx", stored_name=xlsx_name,
                                           sha256=xlsx_sha))
        items[1].materials.append(Material(position=1, title="対応事項の状況", generated="actions"))
        for n, it in enumerate(items[2:]):
            it.materials.append(Material(position=1, title=f"ケース概要（事例{'ABC'[n]}）",
                                         generated="case_sheet"))
            it.decisions.append(Decision(position=1, text="支援方針を了承した。"))
        s.add_all([
            ActionItem(body_id=body.id, meeting_id=prev.id, description="居場所の開設日を拡大する",
                       assignee_text="NPO法人ひだまり", due_on=date(2026, 11, 30), status="in_progress",
                       progress_note="12月から週2回に拡大予定"),
            ActionItem(body_id=body.id, meeting_id=prev.id, case_id=cases[0].id,
                       description=f"{cases[0].family_name}さんへの訪問を社協と同行で行う",
                       assignee_text="社会福祉協議会", due_on=date(2026, 10, 31), status="done",
                       closed_on=date(2026, 10, 20)),
            ActionItem(body_id=body.id, meeting_id=m.id, agenda_item_id=items[2].id,
                       description="次回までに家族会の情報を提供する", assignee_text="保健所",
                       due_on=date(2027, 1, 31)),
        ])
        s.commit()
        return Built(meeting_id=m.id, previous_meeting_id=prev.id, body_id=body.id,
                     case_ids=[c.id for c in cases], org_ids=[o.id for o in orgs])
