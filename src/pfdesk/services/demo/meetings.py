"""Demo step: みどり川町's 会議体 and three 年度 of meetings with 出欠, 次第, 議事録 and 宿題事項.

Members come from the directory step and case conferences from the consultations
step when those ran; without them the bodies and meetings are still made.
One 実務者会議 action item about a case stays open and carries over to the next
実務者会議, and a planned meeting falls on 建国記念の日 so the warning shows.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, time, timedelta
from random import Random

from sqlalchemy import select

from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMembership,
    Case,
    Consent,
    Decision,
    Material,
    Meeting,
    Organization,
    Person,
    Post,
)

TOWN = "みどり川町"
HALL = "みどり川町役場 3階 第1会議室"
CENTER = "みどり川町保健福祉センター 2階 研修室"

# (key, name, kind, publicity, numbering, planned, basis, members wanted)
BODIES = [
    ("plenary", f"{TOWN}ひきこもり支援ネットワーク全体会", "plenary", "public", "fiscal", 1,
     f"{TOWN}ひきこもり支援ネットワーク設置要綱 第5条", 18),
    ("practitioners", f"{TOWN}ひきこもり支援ネットワーク実務者会議", "practitioners", "closed",
     "fiscal", 3, f"{TOWN}ひきこもり支援ネットワーク設置要綱 第6条", 10),
    ("working_team", "ひきこもり支援庁内ワーキングチーム会議", "working_team", "closed",
     "fiscal", 4, f"{TOWN}ひきこもり支援庁内ワーキングチーム設置規程", 7),
    ("case_conference", "個別ケース会議（支援調整会議）", "case_conference", "closed",
     "running", 6, f"{TOWN}ひきこもり支援ネットワーク設置要綱 第7条", 6),
    ("support_meeting", f"{TOWN}重層的支援体制支援会議", "support_meeting", "closed",
     "running", 4, "社会福祉法第106条の6", 8),
    ("study", "ひきこもり支援 学習会・情報交換会", "study", "public", "fiscal", 3,
     f"{TOWN}ひきこもり支援ネットワーク設置要綱 第8条", 3),
    ("other", "家族会との意見交換会", "other", "closed", "fiscal", 1, "", 4),
]

# Month/day of each meeting within a 年度 (April-based), per body.
SCHEDULE = {
    "plenary": [(7, 17)],
    "practitioners": [(6, 12), (10, 16), (2, 18)],
    "working_team": [(5, 20), (8, 19), (11, 18), (2, 10)],
    "support_meeting": [(5, 27), (9, 9), (12, 9), (3, 10)],
    "study": [(6, 21), (10, 25), (2, 21)],
    "other": [(9, 26)],
}

STUDY_THEMES = [
    ("ひきこもり元当事者から学ぶ", "NPO法人 はればれ　代表 若葉 蒼"),
    ("地域における居場所づくり", "東雲県ひきこもり地域支援センター　所長"),
    ("社会資源の活用について（就労・生活支援）", "東雲若者サポートステーション　相談員"),
    ("家族の関わり方を考える", "KHJしののめ家族会　世話人"),
    ("8050問題と地域包括支援センターの役割", "みどり川町地域包括支援センター　主任ケアマネジャー"),
    ("オンラインでつながる支援", "東雲県精神保健福祉センター　臨床心理士"),
]

AGENDA = {
    "plenary": [
        ("agenda", "前年度の活動報告について", "事務局"),
        ("agenda", "今年度の活動計画について", "事務局"),
        ("report", "相談受付状況について", "事務局"),
        ("other", "構成機関からの情報提供", "各委員"),
    ],
    "practitioners": [
        ("agenda", "相談受付状況と支援の経過について", "事務局"),
        ("agenda", "地域の居場所づくりの検討", "社会福祉協議会"),
        ("report", "学習会の開催結果について", "事務局"),
    ],
    "working_team": [
        ("agenda", "庁内連携の状況と課題", "保健福祉課"),
        ("agenda", "税・住宅・生活保護部門からの気づきの共有", "各課"),
        ("report", "広報紙への相談窓口掲載について", "総務課"),
    ],
    "support_meeting": [
        ("agenda", "支援が届いていない世帯への働きかけについて", "事務局"),
        ("report", "前回検討世帯のその後", "事務局"),
    ],
    "study": [("agenda", "講演", "講師"), ("agenda", "グループでの情報交換", "参加者")],
    "other": [("agenda", "家族会からの要望について", "家族会"), ("other", "意見交換", "全員")],
}

ACTIONS = [
    ("相談窓口のチラシを各機関の窓口に配置する", "事務局"),
    ("居場所の候補となる会場を調べ、次回報告する", "社会福祉協議会"),
    ("学校・教育委員会と卒業後の情報連携の方法を協議する", "教育委員会"),
    ("ハローワークの就労体験受入れ先の一覧を共有する", "ハローワーク"),
    ("広報紙に相談窓口の記事を掲載する", "総務課"),
]
CASE_ACTIONS = [
    "本人への訪問を保健師と民生委員で行い、様子を次回報告する",
    "家族面談を行い、家族会の案内を渡す",
    "就労体験の受入れ先と日程を調整する",
    "主治医との連携について本人の同意を確認する",
]


def _posts(session):
    """Current posts: [(person, org, post)], one per person, in a stable order."""
    rows = session.execute(
        select(Post, Person, Organization)
        .join(Person, Person.id == Post.person_id)
        .join(Organization, Organization.id == Post.organization_id)
        .where(Post.end_on.is_(None), Person.merged_into_id.is_(None))
        .order_by(Post.id)
    ).all()
    seen, out = set(), []
    for post, person, org in rows:
        if person.id not in seen:
            seen.add(person.id)
            out.append((person, org, post))
    return out


def _pick_members(rng, key, posts, wanted):
    hall = [p for p in posts if p[1].kind in ("municipal_lead", "municipal_section",
                                              "board_of_education")]
    outside = [p for p in posts if p not in hall]
    if key == "working_team":
        pool = hall
    elif key in ("study", "other"):
        pool = [p for p in posts if p[1].kind in ("municipal_lead", "npo", "family_group",
                                                  "social_welfare_council")] or posts
    else:
        # One seat per organization, the platform's lead section always included.
        by_org, pool = set(), []
        lead = [p for p in hall if p[1].kind == "municipal_lead"]
        for p in lead[:1] + outside + hall:
            if p[1].id not in by_org:
                by_org.add(p[1].id)
                pool.append(p)
    if key not in ("working_team",) and len(pool) > wanted:
        head, rest = pool[:1], pool[1:]
        pool = head + sorted(rng.sample(rest, wanted - 1), key=lambda p: p[0].id)
    return pool[:wanted]


def _affiliation(org, post):
    return f"{org.name}　{post.department}" if post.department else org.name


def _dates(key, fy, rng, scale):
    if key == "case_conference":
        n = 6 * scale
        return sorted({date(fy, 4, 1) + timedelta(days=rng.randrange(10, 355)) for _ in range(n)})
    out = []
    for m, d in SCHEDULE[key]:
        out.append(date(fy if m >= 4 else fy + 1, m, d))
    return out


def _workday(d, key):
    # Study sessions are on Saturdays for residents; the rest on weekdays.
    if key == "study":
        return d + timedelta(days=(5 - d.weekday()) % 7)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def generate(demo) -> None:
    """Add the bodies, their members and FY2024-FY2026 meetings with full records."""
    s, rng, today = demo.session, demo.rng, demo.today
    posts = _posts(s)
    cases = s.execute(
        select(Case.id, Case.intake_date).where(Case.voided_at.is_(None))
        .order_by(Case.intake_date)
    ).all()
    lead_section = next((o for _p, o, _q in posts if o.kind == "municipal_lead"), None)
    secretariat = lead_section.name if lead_section else f"{TOWN}保健福祉課"

    bodies, members = {}, {}
    for order, (key, name, kind, pub, numbering, planned, basis, wanted) in enumerate(BODIES):
        b = Body(name=name, kind=kind, default_publicity=pub, numbering=numbering, basis=basis,
                 planned_per_year=planned, secretariat=secretariat, sort_order=order * 10)
        s.add(b)
        bodies[key] = b
        picked = _pick_members(rng, key, posts, wanted)
        members[key] = picked
    s.flush()
    seats = []
    for key, picked in members.items():
        for i, (person, org, _post) in enumerate(picked):
            role = "member"
            if key == "plenary":
                role = "chair" if i == 1 else "vice_chair" if i == 2 else "member"
            if org.kind == "municipal_lead":
                role = "secretariat"
            seats.append(BodyMembership(
                body_id=bodies[key].id, person_id=person.id, organization_id=org.id, role=role,
                start_on=date(2024, 4, 1), end_on=date(2027, 3, 31) if key == "plenary" else None,
            ))
    s.add_all(seats)
    roles = {(m.body_id, m.person_id): m.role for m in seats}

    meetings: list[tuple[str, Meeting]] = []
    for key, b in bodies.items():
        running = 0
        for fy in (2024, 2025, 2026):
            for n, d in enumerate(_dates(key, fy, rng, demo.scale), 1):
                d = _workday(d, key)
                if key == "working_team" and fy == 2026 and n == 4:
                    d = date(2027, 2, 11)  # 建国記念の日: the calendar warns about it
                running += 1
                status = "held" if d < today else "planned"
                if key == "other" and fy == 2025:
                    status = "cancelled"
                start = time(18, 30) if key == "other" else time(13, 30) if key != "study" \
                    else time(10, 0)
                m = Meeting(
                    body_id=b.id, fiscal_year=fiscal_year_of(d),
                    number=running if b.numbering == "running" else n, held_on=d,
                    start_time=start, end_time=time(start.hour + 2, start.minute),
                    place=CENTER if key in ("study", "case_conference") else HALL,
                    online=key in ("practitioners", "plenary") and fy >= 2025,
                    publicity=b.default_publicity, status=status,
                    observers=rng.randrange(0, 4) if b.default_publicity == "public" and
                    status == "held" else 0,
                    reply_deadline=d - timedelta(days=7),
                )
                s.add(m)
                meetings.append((key, m))
    s.flush()

    attendance = []
    for key, m in meetings:
        attendance += _attendance(rng, key, m, members[key], roles, today)
    s.add_all(attendance)

    case_pool = list(cases)  # ordered by intake date
    intake_days = [c.intake_date for c in case_pool]
    # A 実務者会議 sees a case pseudonymized unless a consent covers its members; the demo
    # gives its 実務者会議 sheets only of cases without any consent, so they read that way.
    consented = set(s.scalars(select(Consent.case_id)).all())
    items, decisions, actions, materials = [], [], [], []
    for key, m in meetings:
        if key == "study":
            theme, lecturer = STUDY_THEMES[(m.fiscal_year * 3 + m.number) % len(STUDY_THEMES)]
            m.theme, m.lecturer = theme, lecturer
            if m.status == "held":
                m.participants_residents = rng.randrange(8, 30)
                m.participants_agencies = rng.randrange(5, 15)
                m.participants_families = rng.randrange(2, 10)
        # (kind, title, presenter) or, for a case discussed, (kind, title, presenter, case id)
        plan: list[tuple[str, str, str] | tuple[str, str, str, int]] = list(AGENDA.get(key, []))
        if key in ("case_conference", "support_meeting", "practitioners"):
            # Cases taken in by the meeting day; the most recent ones are discussed.
            eligible = case_pool[:bisect_right(intake_days, m.held_on)]
            k = {"case_conference": 2, "support_meeting": 1, "practitioners": 1}[key]
            recent = eligible[-20:]
            for c in rng.sample(recent, min(k, len(recent))):
                # Case discussion comes last among the 議題, in the closed part of the meeting.
                n_agenda = sum(1 for p in plan if p[0] == "agenda")
                plan.insert(n_agenda, ("agenda", "個別ケースの検討", "担当ケースワーカー", c.id))
        if key == "case_conference" and not any(len(p) == 4 for p in plan):
            plan = [("agenda", "支援方針の検討", "担当者")]
        for pos, entry in enumerate(plan, 1):
            kind, title, presenter = entry[:3]
            case_id = entry[3] if len(entry) == 4 else None
            it = AgendaItem(meeting_id=m.id, position=pos, kind=kind, title=title,
                            presenter=presenter, case_id=case_id,
                            publicity="closed" if case_id else "")
            if m.status == "held":
                it.summary = _summary(title, case_id)
            items.append((key, m, it))
    s.add_all([it for _k, _m, it in items])
    s.flush()

    for key, m, it in items:
        if it.title == "相談受付状況と支援の経過について" or it.title == "相談受付状況について":
            materials.append(Material(agenda_item_id=it.id, position=1,
                                      title="相談受付状況（統計）", generated="stats"))
        if key == "practitioners" and it.title == AGENDA[key][0][1]:
            materials.append(Material(agenda_item_id=it.id, position=2, title="宿題事項一覧",
                                      generated="actions", is_reference=True))
        if it.case_id and (key != "practitioners" or it.case_id not in consented):
            materials.append(Material(agenda_item_id=it.id, position=1, title="ケース概要シート",
                                      generated="case_sheet"))
        if m.status != "held":
            continue
        if it.kind == "agenda" and key != "study":
            decisions.append(Decision(agenda_item_id=it.id, position=1,
                                      text=_decision(it.title, it.case_id)))
        if it.case_id:
            text = CASE_ACTIONS[rng.randrange(len(CASE_ACTIONS))]
            actions.append(_action(m, it, text, "担当ケースワーカー", it.case_id))
        elif key in ("practitioners", "working_team", "plenary") and \
                it.title == AGENDA[key][0][1]:
            text, who = ACTIONS[rng.randrange(len(ACTIONS))]
            actions.append(_action(m, it, text, who, None))
    s.add_all(materials)
    s.add_all(decisions)
    _close_carried(actions, meetings, rng)
    s.add_all(actions)
    for key, m in meetings:
        if m.status == "held":
            nxt = [x for k, x in meetings if k == key and x.held_on > m.held_on]
            if nxt:
                m.next_plan = f"第{nxt[0].number}回　{nxt[0].held_on.month}月{nxt[0].held_on.day}日" \
                    f"（予定）　{nxt[0].place}"
    s.flush()
    demo.shared["meetings"] = {k: b.id for k, b in bodies.items()}


def _attendance(rng, key, m, picked, roles, today):
    out = []
    for pos, (person, org, post) in enumerate(picked, 1):
        a = Attendance(
            meeting_id=m.id, position=pos, person_id=person.id, organization_id=org.id,
            name=person.full_name, name_kana=person.full_kana,
            affiliation=_affiliation(org, post), title=post.title,
            role=roles.get((m.body_id, person.id), "member"),
        )
        days_before = (m.held_on - today).days
        if m.status == "held" or days_before < 21:
            r = rng.random()
            if m.status == "planned" and r < 0.35:
                a.response = "pending"
            elif r < 0.68:
                a.response = "present"
            elif r < 0.80:
                a.response = "absent"
            elif r < 0.90 and not a.role == "secretariat":
                a.response = "proxy"
                a.proxy_name = rng.choice(["田中　亮", "小松　里美", "岡本　健太", "西村　由香"])
                a.proxy_title = rng.choice(["課長補佐", "主任", "係長", "相談員"])
            else:
                a.response = "online" if m.online else "present"
            if a.response != "pending":
                a.responded_on = min(today, m.held_on - timedelta(days=rng.randrange(3, 14)))
            if m.status == "held" and a.response == "present":
                a.late = rng.random() < 0.06
                a.left_early = rng.random() < 0.05
        out.append(a)
    return out


def _summary(title, case_id):
    if case_id:
        return ("担当者から本人・家族の状況と前回以降の経過を報告。本人は日中も自室で過ごすことが多いが、"
                "母親を通じて訪問の受入れに前向きな発言があった。\n"
                "各機関から、関わり方と今後の支援の進め方について意見があった。")
    return (f"事務局から「{title}」について資料に基づき説明。\n"
            "委員から、関係機関の間で早めに情報を共有する仕組みが必要との意見があった。")


def _decision(title, case_id):
    if case_id:
        return "当面は月1回の訪問を継続し、本人の意向を確認しながら次回会議で支援方針を見直す。"
    return f"「{title}」は事務局案のとおり進める。"


def _action(m, it, text, who, case_id):
    return ActionItem(
        body_id=m.body_id, meeting_id=m.id, agenda_item_id=it.id, case_id=case_id,
        description=text, assignee_text=who, due_on=m.held_on + timedelta(days=60),
        status="open",
    )


def _close_carried(
    actions: list[ActionItem], meetings: list[tuple[str, Meeting]], rng: Random
) -> None:
    """Close most items at the body's next held meeting; the latest ones stay open.

    The last case-linked 実務者会議 item before today stays 対応中 so it carries over to
    the next (planned) 実務者会議 and shows on the case's timeline.
    """
    by_body: dict[int, list[Meeting]] = {}
    for _k, m in meetings:
        by_body.setdefault(m.body_id, []).append(m)
    for ms in by_body.values():
        ms.sort(key=lambda x: x.held_on)
    held_by_id = {m.id: m for _k, m in meetings}
    practitioners = {m.body_id for k, m in meetings if k == "practitioners"}
    keep: ActionItem | None = None
    for a in sorted(actions, key=lambda a: held_by_id[a.meeting_id].held_on, reverse=True):
        if a.body_id in practitioners and a.case_id:
            keep = a
            break
    for a in actions:
        origin = held_by_id[a.meeting_id]
        later = [x for x in by_body[a.body_id] if x.held_on > origin.held_on and
                 x.status == "held"]
        if a is keep:
            a.status = "in_progress"
            a.progress_note = "訪問を2回実施。本人とは会えていないため継続して対応中。"
            continue
        if later and rng.random() < 0.85:
            a.status = "done"
            a.closed_meeting_id = later[0].id
            a.closed_on = later[0].held_on
            a.progress_note = "対応済み（会議で報告）"
        elif len(later) > 1:
            # Took longer: reported as 対応中 once, closed at the meeting after.
            a.status = "done"
            a.closed_meeting_id = later[1].id
            a.closed_on = later[1].held_on
            a.progress_note = "前回は調整中。今回、対応済みと報告"
        elif later:
            a.status = "in_progress"
            a.progress_note = "調整中"
