"""Demo step: three 年度 (FY2024 to today) of fictional consultations in みどり川町.

About 300 cases and 3,000 contacts at scale 1 (``scale`` multiplies the cases), with
referrals to the directory's organizations, consents (all members, listed organizations,
a few withdrawn), closures with reasons, a reopened case or two, voided entries, birth dates
not known, and cases whose first contact came in the previous 年度. Names are invented.
Rows are written with bulk inserts so scale 30 stays quick.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

from sqlalchemy import func, insert, select

from pfdesk.core.codes import CLOSE_REASONS
from pfdesk.core.fiscal import age_band, age_on, fiscal_year_of, period_band
from pfdesk.core.kana import fold
from pfdesk.services.consultations._common import (
    CASE_SERIAL_SCOPE,
    SEARCH_SEPARATOR,
    dumps_codes,
    format_case_number,
)
from pfdesk.store.models import (
    Case,
    CaseStatusChange,
    Consent,
    ConsentOrganization,
    Contact,
    Organization,
    Referral,
    SerialCounter,
    utcnow,
)

START = date(2024, 4, 1)
CASES_PER_SCALE = 300

FAMILY = [
    ("高橋", "タカハシ"), ("田中", "タナカ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
    ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
    ("木村", "キムラ"), ("林", "ハヤシ"), ("清水", "シミズ"), ("森", "モリ"),
    ("池田", "イケダ"), ("橋本", "ハシモト"), ("石川", "イシカワ"), ("前田", "マエダ"),
    ("藤田", "フジタ"), ("岡田", "オカダ"), ("後藤", "ゴトウ"), ("長谷川", "ハセガワ"),
    ("村上", "ムラカミ"), ("近藤", "コンドウ"), ("坂本", "サカモト"), ("遠藤", "エンドウ"),
    ("青木", "アオキ"), ("西村", "ニシムラ"), ("福田", "フクダ"), ("太田", "オオタ"),
    ("三浦", "ミウラ"), ("岡本", "オカモト"), ("中島", "ナカジマ"), ("小川", "オガワ"),
    ("野口", "ノグチ"), ("大野", "オオノ"), ("川崎", "カワサキ"), ("宮本", "ミヤモト"),
    ("谷口", "タニグチ"), ("沢田", "サワダ"), ("浜田", "ハマダ"), ("上田", "ウエダ"),
]
MALE = [("翔太", "ショウタ"), ("大輔", "ダイスケ"), ("健一", "ケンイチ"), ("拓也", "タクヤ"),
        ("直樹", "ナオキ"), ("亮", "リョウ"), ("誠", "マコト"), ("和也", "カズヤ"),
        ("悠斗", "ユウト"), ("蓮", "レン"), ("隆", "タカシ"), ("浩二", "コウジ"),
        ("修", "オサム"), ("真一", "シンイチ"), ("陽介", "ヨウスケ"), ("優太", "ユウタ")]
FEMALE = [("美咲", "ミサキ"), ("由美", "ユミ"), ("彩", "アヤ"), ("恵", "メグミ"),
          ("愛", "アイ"), ("陽子", "ヨウコ"), ("真由美", "マユミ"), ("さくら", "サクラ"),
          ("結衣", "ユイ"), ("久美子", "クミコ"), ("里奈", "リナ"), ("千尋", "チヒロ")]
STREETS = ["本町", "川原町", "緑ヶ丘", "東雲", "中津", "桜木", "西原", "北山", "南浦", "上野台"]
STAFF = ["森野", "川口", "田村", "保健師 大西"]
RELATIONS = [("母", 60), ("父", 25), ("兄弟姉妹", 10), ("配偶者", 5)]

SEX_W = [("male", 62), ("female", 35), ("other", 1), ("unknown", 2)]
AGE_W = [(15, 15), (24, 25), (34, 20), (44, 20), (54, 12), (64, 8)]
ROUTE_W = [("direct", 30), ("municipal", 12), ("social_welfare_council", 10),
           ("self_reliance", 8), ("community_care", 8), ("health_center", 7), ("medical", 6),
           ("school", 6), ("commissioner", 6), ("hello_work", 2), ("npo", 3), ("other", 1),
           ("unknown", 1)]
WORK_W = [("unemployed", 55), ("student", 12), ("part_time", 10), ("employed", 6),
          ("leave", 7), ("other", 4), ("unknown", 6)]
METHOD_W = [("phone", 40), ("visit_office", 25), ("home_visit", 15), ("email", 5),
            ("online", 5), ("accompany", 7), ("other", 3)]
REQ_W = [("family", 45), ("self", 30), ("agency", 18), ("commissioner", 5), ("other", 2)]
TOPIC_W = [("withdrawal", 35), ("family", 14), ("health", 14), ("job_search", 10),
           ("income", 7), ("work_anxiety", 5), ("community", 4), ("housing", 3), ("debt", 2),
           ("care", 2), ("childcare", 1), ("abuse", 1), ("other", 2)]
TRIGGER_W = [("school_refusal", 20), ("mental_illness", 18), ("relationships", 20),
             ("job_hunting", 12), ("workplace", 14), ("illness", 6), ("other", 4),
             ("unknown", 6)]
CLOSE_W = [("goal_met", 30), ("handed_over", 25), ("wish", 15), ("lost_contact", 15),
           ("moved", 8), ("death", 1), ("other", 6)]
# つなぎ先区分 → the directory kinds an organization of that category has.
CATEGORY_KINDS = {
    "social_welfare_council": ("social_welfare_council",),
    "self_reliance": ("self_reliance",),
    "community_care": ("community_care",),
    "health_center": ("health_center",),
    "mental_health_center": ("mental_health_center",),
    "medical": ("medical",),
    "school": ("school", "board_of_education"),
    "saposute": ("saposute",),
    "hello_work": ("hello_work",),
    "disability": ("disability_service",),
    "npo": ("npo", "family_group"),
    "hikikomori_center": ("hikikomori_center",),
    "municipal": ("municipal_section", "municipal_lead"),
    "child_guidance": ("child_guidance",),
    "company": ("company",),
}
REF_W = [("saposute", 14), ("hikikomori_center", 12), ("medical", 12), ("npo", 14),
         ("self_reliance", 10), ("social_welfare_council", 8), ("hello_work", 6),
         ("mental_health_center", 6), ("disability", 5), ("health_center", 5),
         ("municipal", 4), ("community_care", 2), ("other", 2)]

SITUATION = ["昼夜逆転の生活が続いている", "自室からほとんど出ない", "家族との会話が減っている",
             "コンビニには一人で行ける", "通院を中断している", "以前の職場の話になると黙ってしまう",
             "ゲームをして過ごすことが多い", "夜に散歩に出ることがある",
             "食事は家族と別にとっている",
             "将来について不安を口にするようになった"]
ACTION = ["次回は自宅を訪問する予定", "居場所の見学を提案した", "家族会の案内を渡した",
          "医療機関の受診について話し合った", "サポステの説明を行った", "本人あての手紙を預けた",
          "生活費の相談窓口を紹介した", "しばらく様子を見ることにした", "担当者間で情報を共有した"]
OPENING = {"family": "{rel}より{how}。", "self": "本人より{how}。", "agency": "関係機関より{how}。",
           "commissioner": "民生委員より{how}。", "other": "近隣の方より{how}。"}


_PREPARED: dict[int, tuple[list, list]] = {}


def _pick(rng, weighted):
    # Cumulative weights prepared once per list: picking runs about half a million times
    # at scale 30.
    prepared = _PREPARED.get(id(weighted))
    if prepared is None:
        prepared = ([k for k, _w in weighted], list(accumulate(w for _k, w in weighted)))
        _PREPARED[id(weighted)] = prepared
    keys, cum = prepared
    return rng.choices(keys, cum_weights=cum)[0]


@lru_cache(maxsize=20_000)
def _fold(text: str) -> str:
    # Demo texts are built from a few fragments, so most of them repeat.
    return fold(text)


def _body(rng, requester: str, relation: str, method: str) -> str:
    how = {"phone": "電話", "visit_office": "来所相談", "home_visit": "訪問時に面談",
           "email": "メール", "online": "オンライン面談",
           "accompany": "同行支援"}.get(method, "連絡")
    lines = [OPENING.get(requester, OPENING["other"]).format(rel=relation or "家族", how=how)]
    lines.append("本人は" + rng.choice(SITUATION) + "とのこと。")
    if rng.random() < 0.5:
        lines.append("また、" + rng.choice(SITUATION) + "。")
    lines.append(rng.choice(ACTION) + "。")
    return "".join(lines)


def _orgs(session) -> dict[str, list[int]]:
    by_kind: dict[str, list[int]] = {}
    for oid, kind in session.execute(select(Organization.id, Organization.kind)
                                     .order_by(Organization.id)):
        by_kind.setdefault(kind, []).append(oid)
    return by_kind


def _sqlite_value(v):
    # As SQLAlchemy's SQLite types store them (DateTime with microseconds, Date ISO).
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bool):
        return int(v)
    return v


def _insert_many(session, table, rows: list[dict]) -> None:
    """Insert ``rows`` with one executemany on the driver when they give every column.

    SQLAlchemy converts each value of each row on the way (270,000 contacts at scale
    100); the demo's values are plain, so they are converted here in one pass. Rows that
    leave a column to its Python default go through SQLAlchemy.
    """
    if session.get_bind().dialect.name != "sqlite":
        from pfdesk.store.pg import insert_with_ids

        insert_with_ids(session, table, rows)
        return
    names = list(table.c.keys())
    if set(rows[0]) != set(names):
        session.execute(insert(table), rows)
        return
    sql = str(insert(table).compile(dialect=session.get_bind().dialect))
    session.connection().exec_driver_sql(sql, _driver_rows(rows, names))


_PLAIN = frozenset({str, int, float, bytes, type(None)})


def _driver_rows(rows: list[dict], names: list[str]) -> list[tuple]:
    """``rows`` as tuples of ``names``, each value as :func:`_sqlite_value` gives it.

    Column by column: only a column holding a value other than text, a number or NULL
    (a date, a time, a flag) goes through :func:`_sqlite_value`; the rest are copied as
    they are, without a Python call per value (2.4 million values at scale 100).
    """
    get = itemgetter(*names) if len(names) > 1 else (lambda r: (r[names[0]],))
    columns = list(zip(*map(get, rows), strict=True))
    for i, column in enumerate(columns):
        if not _PLAIN.issuperset(map(type, column)):
            columns[i] = tuple(map(_sqlite_value, column))
    return list(zip(*columns, strict=True))


def _next_id(session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def generate(demo) -> None:
    """Add the consultations (cases, contacts, referrals, consents, status history)."""
    s, rng, today = demo.session, demo.rng, demo.today
    orgs = _orgs(s)
    all_org_ids = sorted(i for ids in orgs.values() for i in ids)
    n_cases = CASES_PER_SCALE * demo.scale
    span = (today - START).days
    intakes = sorted(START + timedelta(days=rng.randrange(span)) for _i in range(n_cases))
    case_id = _next_id(s, Case)
    contact_id = _next_id(s, Contact)
    consent_id = _next_id(s, Consent)
    serials: dict[int, int] = {}
    cases, contacts, changes, referrals, consents, consent_orgs = [], [], [], [], [], []
    now = utcnow()
    takahashi_variant_done = False
    for n, intake in enumerate(intakes):
        fy = fiscal_year_of(intake)
        serials[fy] = serials.get(fy, 0) + 1
        sex = _pick(rng, SEX_W)
        fam, fam_kana = rng.choice(FAMILY)
        if fam == "高橋" and not takahashi_variant_done:
            fam, takahashi_variant_done = "髙橋", True  # 異体字 as typed in the ledger
        given, given_kana = rng.choice(FEMALE if sex == "female" else MALE)
        age = _pick(rng, AGE_W) + rng.randrange(-4, 6)
        birth: date | None
        birth = intake - timedelta(days=age * 365 + rng.randrange(365))
        recorded_band = age_band(age_on(birth, intake))
        if rng.random() < 0.06:  # 生年月日不明: only the 年代 is known
            birth = None
            if rng.random() < 0.3:
                recorded_band = "unknown"
        route = _pick(rng, ROUTE_W)
        route_org = None
        kinds = CATEGORY_KINDS.get(route, ())
        pool = [i for k in kinds for i in orgs.get(k, [])]
        if pool:
            route_org = rng.choice(pool)
        onset = ""
        onset_band = "unknown"
        if rng.random() < 0.8:
            start = intake - timedelta(days=rng.randrange(60, 365 * 15))
            onset = f"{start.year}-{start.month:02d}" if rng.random() < 0.7 else str(start.year)
            onset_band = period_band(date(start.year, start.month if "-" in onset else 1, 1),
                                     intake)
        lead = rng.choice(STAFF[:3])
        issues = sorted({_pick(rng, TOPIC_W) for _i in range(rng.randint(1, 3))})
        triggers = sorted({_pick(rng, TRIGGER_W) for _i in range(rng.randint(1, 2))})
        # How the case went: older cases are more often closed.
        age_days = (today - intake).days
        end = today
        status = "active"
        close_on: date | None = None
        close_reason = ""
        r = rng.random()
        if age_days > 60 and r < min(0.65, age_days / 1100):
            close_on = intake + timedelta(days=rng.randrange(30, age_days))
            close_reason = _pick(rng, CLOSE_W)
            status, end = "closed", close_on
        elif age_days < 20 and r < 0.6:
            status = "intake"
        elif r > 0.8:
            status = "watch"
        cid = case_id + n
        cases.append(dict(
            id=cid, case_number=format_case_number(fy, serials[fy]), fiscal_year=fy,
            serial=serials[fy], intake_date=intake, intake_staff=rng.choice(STAFF), lead_staff=lead,
            route=route, route_org_id=route_org, family_name=fam, given_name=given,
            family_kana=fam_kana, given_kana=given_kana, birth_date=birth,
            birth_ym=birth.strftime("%Y-%m") if birth else "",
            address=(f"東雲県みどり川町{rng.choice(STREETS)}{rng.randint(1, 5)}丁目"
                     f"{rng.randint(1, 30)}番地"),
            phone=f"0889-5{rng.randint(0, 9)}-{rng.randint(0, 9999):04d}",
            household=rng.choice(["父・母", "母", "父・母・祖母", "母・弟", "単身", "配偶者"]),
            sex=sex, age_band=recorded_band, work_status=_pick(rng, WORK_W), onset=onset,
            onset_band=onset_band, issues_json=dumps_codes(issues),
            triggers_json=dumps_codes(triggers),
            chief_complaint=rng.choice(["本人が長く自室にこもっている",
                                        "仕事を辞めてから外出しない",
                                        "不登校のまま卒業し、その後家にいる",
                                        "親の高齢化で今後の生活が心配",
                                        "本人が相談先を探している"]),
            policy=rng.choice(["家族支援を継続しつつ本人との関係づくりを進める",
                               "居場所の利用につなぐ", "医療機関の受診を支援する",
                               "就労準備支援につなぐ"]),
            goal=rng.choice(["月1回の面談を続ける", "居場所に通う", "受診につながる",
                             "就労体験に参加する"]),
            status=status, closed_on=close_on, close_reason=close_reason,
            created_at=now, updated_at=now, voided_at=None, void_reason="", voided_by="",
            version=1,
        ))
        changes.append(dict(case_id=cid, changed_on=intake, from_status="", to_status="intake",
                            reason="", changed_by=lead, created_at=now))
        if status != "intake":
            changes.append(dict(case_id=cid, changed_on=intake + timedelta(days=7),
                                from_status="intake", to_status="active", reason="",
                                changed_by=lead, created_at=now))
        if status == "watch":
            changes.append(dict(case_id=cid, changed_on=intake + timedelta(days=min(
                age_days, rng.randrange(30, 200))), from_status="active", to_status="watch",
                reason="", changed_by=lead, created_at=now))
        if close_on is not None:  # closed (a close date is drawn only for closed cases)
            changes.append(dict(case_id=cid, changed_on=close_on, from_status="active",
                                to_status="closed", reason=CLOSE_REASONS.label(close_reason),
                                changed_by=lead,
                                created_at=now))
            if close_on + timedelta(days=60) < today and rng.random() < 0.04:
                # Reopened: the person came back after the case was closed.
                again = close_on + timedelta(days=rng.randrange(30, (today - close_on).days))
                changes.append(dict(case_id=cid, changed_on=again, from_status="closed",
                                    to_status="active", reason="家族から再度の相談があった",
                                    changed_by=lead, created_at=now))
                cases[-1].update(status="active", closed_on=None, close_reason="")
                end = today
        # Contacts
        texts = []
        day = intake
        if intake.month == 4 and intake.day < 20 and rng.random() < 0.5:
            day = intake - timedelta(days=rng.randrange(7, 25))  # first call in the old 年度
        count = max(1, int(rng.expovariate(1 / 15)) + 1)
        for k in range(count):
            if day > end:
                break
            method = _pick(rng, METHOD_W) if k else rng.choice(["phone", "phone", "visit_office"])
            req = _pick(rng, REQ_W)
            rel = _pick(rng, RELATIONS) if req == "family" else ""
            main = _pick(rng, TOPIC_W)
            topics = sorted({main, *(_pick(rng, TOPIC_W) for _i in range(rng.randint(0, 2)))})
            body = _body(rng, req, rel, method)
            at = datetime.combine(day, time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])))
            voided = rng.random() < 0.01
            contacts.append(dict(
                id=contact_id, case_id=cid, occurred_at=at, method=method, requester=req,
                relation=rel, staff=rng.choice(STAFF), counterpart={
                    "self": "self", "family": "family", "agency": "agency"}.get(req, "other"),
                counterpart_org_id=None, topics_json=dumps_codes(topics), main_topic=main,
                body=body, next_plan=rng.choice(["", "", "2週間後に電話", "来月訪問"]),
                created_by=rng.choice(STAFF), created_at=now, updated_at=now, version=1,
                voided_at=now if voided else None,
                void_reason="別のケースに入力したため" if voided else "",
                voided_by=lead if voided else "",
            ))
            contact_id += 1
            if not voided:
                texts.append(body)
            # Several contacts on one day happen (a call, then a visit).
            day += timedelta(days=0 if rng.random() < 0.05 else rng.randint(3, 45))
        # Referrals
        for _i in range(rng.choices([0, 1, 2], weights=[55, 35, 10])[0]):
            cat = _pick(rng, REF_W)
            pool = [i for k in CATEGORY_KINDS.get(cat, ()) for i in orgs.get(k, [])]
            on = intake + timedelta(days=rng.randrange(7, max(8, (end - intake).days + 1)))
            if on > today:
                continue
            rstatus, started, ended = "referred", None, None
            if (today - on).days > 20 and rng.random() < 0.7:
                rstatus, started = "started", on + timedelta(days=rng.randrange(5, 20))
                if (today - started).days > 60 and rng.random() < 0.4:
                    ended = started + timedelta(days=rng.randrange(30, (today - started).days))
                    rstatus = "ended" if rng.random() < 0.7 else "interrupted"
            elif (today - on).days > 40 and rng.random() < 0.15:
                rstatus, ended = "interrupted", on + timedelta(days=rng.randrange(10, 40))
            referrals.append(dict(
                case_id=cid, organization_id=rng.choice(pool) if pool else None, category=cat,
                status=rstatus, referred_on=on, started_on=started, ended_on=ended, note="",
                created_at=now, updated_at=now, voided_at=None, void_reason="", voided_by="",
            ))
        # Consent
        if rng.random() < 0.55:
            given_on = intake + timedelta(days=rng.randrange(0, 30))
            if given_on <= today:
                scope_all = not all_org_ids or rng.random() < 0.6
                withdrawn = (given_on + timedelta(days=rng.randrange(30, 300))
                             if rng.random() < 0.05 else None)
                consents.append(dict(
                    id=consent_id, case_id=cid, given_on=given_on, scope_all=scope_all,
                    method="written" if rng.random() < 0.7 else "oral",
                    withdrawn_on=withdrawn if withdrawn and withdrawn <= today else None,
                    note="", created_at=now, updated_at=now, voided_at=None, void_reason="",
                    voided_by=""))
                if not scope_all:
                    for oid in rng.sample(all_org_ids, min(len(all_org_ids), rng.randint(1, 3))):
                        consent_orgs.append(dict(consent_id=consent_id, organization_id=oid))
                consent_id += 1
        if rng.random() < 0.01:
            cases[-1].update(voided_at=now, void_reason="同じ人を二重に登録したため",
                             voided_by=lead)
        c = cases[-1]
        c["search_text"] = SEARCH_SEPARATOR.join(_fold(p) for p in (
            c["case_number"], fam + given, fam_kana + given_kana, c["address"], c["phone"],
            c["household"], c["chief_complaint"], c["policy"], c["goal"], *texts) if p)

    # Core inserts (one executemany per table): the ORM's bulk path builds a statement
    # per few rows and costs several times the SQLite work at scale 100.
    for model, rows in ((Case, cases), (CaseStatusChange, changes), (Contact, contacts),
                        (Referral, referrals), (Consent, consents),
                        (ConsentOrganization, consent_orgs)):
        if rows:
            _insert_many(s, model.metadata.tables[model.__tablename__], rows)
    s.add_all(SerialCounter(scope=CASE_SERIAL_SCOPE, fiscal_year=fy, last_value=v)
              for fy, v in serials.items())
    s.flush()
    demo.shared["case_ids"] = [c["id"] for c in cases]
