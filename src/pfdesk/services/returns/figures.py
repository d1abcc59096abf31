"""The catalogue of named figures a return can use, and their computation for a period.

A figure name is ``<measure>.<dimension>.<code>`` for consultation figures (for example
``new.age.20s``: 新規 in their 20s; ``persons.sex.female``; ``contacts.method.phone``),
``meetings.<body kind>.<what>`` for meetings, ``orgs.…`` for member organizations,
``settings.…`` for the answers kept in settings and ``period.…`` for the period itself.
Names are stable: mappings written for one year's form keep working the next year.
The full list with meanings is in ``docs/figures.md`` (generated from :func:`catalogue`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import AGE_BANDS, fiscal_year_of, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.kana import sort_key
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date, format_fiscal_year, format_year_month
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.returns.answers import ANSWERS_KEY, load_answers
from pfdesk.services.settings import load_municipality, read_setting
from pfdesk.services.stats import ConsultationStats, period_months, stats_in_session
from pfdesk.services.summary import demo_today
from pfdesk.store.models import AgendaItem, Attendance, Body, Meeting, Organization

#: Figure value: a count, or text (settings answers, the period).
Value = int | str

#: What 秘匿 puts in place of a small count.
SUPPRESSED = "＊"

#: (short name used in figure names, stats dimension, Japanese name)
_DIMS: tuple[tuple[str, str, str], ...] = (
    ("age", "age_band", "年代"),
    ("sex", "sex", "性別"),
    ("age_sex", "age_sex", "年代×性別"),
    ("requester", "requester", "相談者区分"),
    ("method", "method", "方法"),
    ("topic", "topic", "相談内容（主）"),
    ("route", "route", "相談経路"),
    ("referral", "referral_category", "つなぎ先区分"),
)
_MEASURES = (("persons", "実人数"), ("contacts", "延べ件数"), ("new", "新規（人）"))

#: 周知方法 a form asks about one by one, with the words that name each in the answer.
PUBLICITY_METHODS: tuple[tuple[str, str], ...] = (
    ("bulletin", "広報誌"),
    ("website", "ホームページ"),
    ("leaflet", "リーフレット・チラシ"),
    ("sns", "SNS"),
    ("other", "その他"),
)
_PUBLICITY_WORDS = {
    "bulletin": ("広報",),
    "website": ("ホームページ", "HP", "ウェブ", "WEB", "サイト", "WWW"),
    "leaflet": ("リーフレット", "チラシ", "パンフレット", "ポスター", "ちらし"),
    "sns": ("SNS", "LINE", "ライン", "TWITTER", "X(旧", "FACEBOOK", "INSTAGRAM", "インスタ",
            "YOUTUBE"),
}
_SPLIT = re.compile(r"[、,，・/／;；\s]+")


def publicity_flags(text: str) -> dict[str, bool]:
    """Which 周知方法 a free-text answer names: 「広報誌、HP、LINE」 → 広報誌, ホームページ, SNS."""
    import unicodedata

    found = {key: False for key, _l in PUBLICITY_METHODS}
    for term in _SPLIT.split(unicodedata.normalize("NFKC", text or "").upper()):
        if not term:
            continue
        for key, words in _PUBLICITY_WORDS.items():
            if any(unicodedata.normalize("NFKC", w).upper() in term for w in words):
                found[key] = True
                break
        else:
            found["other"] = True
    return found


#: Responses that mean someone was there.
_PRESENT = ("present", "proxy", "online")
#: Bodies whose agendas are individual cases: their themes are never listed.
_CASE_BODIES = ("case_conference", "support_meeting")


@dataclass(frozen=True)
class FigureDef:
    """One named figure: its name and Japanese meaning.

    ``suppressible`` marks counts of people or contacts, the only figures 秘匿 hides.
    """

    name: str
    description: str
    group: str
    is_text: bool = False
    suppressible: bool = False


@dataclass(frozen=True)
class FigureSet:
    """Every figure of one period, plus the lists the built-in workbook shows."""

    start: date
    end: date
    fiscal_year: int | None  # set when the period is exactly one 年度
    values: dict[str, Value]
    meetings: list[dict] = field(default_factory=list)  # per body
    organizations: list[dict] = field(default_factory=list)  # name, field
    municipality: str = ""

    @property
    def period_label(self) -> str:
        """令和8年度, or 令和8年4月～令和8年9月."""
        return period_label(self.start, self.end, self.fiscal_year)


def period_label(start: date, end: date, fiscal_year: int | None) -> str:
    """The period as a return names it."""
    if fiscal_year is not None:
        return format_fiscal_year(fiscal_year)
    return _("{a}～{b}").format(
        a=format_year_month(start.year, start.month), b=format_year_month(end.year, end.month)
    )


def exact_fiscal_year(start: date, end: date) -> int | None:
    """The 年度 when ``start``..``end`` is exactly one, else None."""
    fy = fiscal_year_of(start)
    return fy if (start, end) == fiscal_year_range(fy) else None


def _month_order() -> list[int]:
    return [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]


def _dim_items(dim: str) -> list[tuple[str, str]]:
    if dim == "age_band":
        return [(k, _(v)) for k, v in AGE_BANDS]
    if dim == "age_sex":
        return [(f"{a}.{s}", f"{_(al)}・{sl}") for a, al in AGE_BANDS for s, sl in codes.SEXES]
    return list({
        "sex": codes.SEXES, "requester": codes.REQUESTERS, "method": codes.METHODS,
        "topic": codes.TOPICS, "route": codes.ROUTES,
        "referral_category": codes.REFERRAL_CATEGORIES,
    }[dim])


@cache
def catalogue() -> tuple[FigureDef, ...]:
    """Every figure name a mapping may use, in documentation order."""
    out: list[FigureDef] = []

    def add(name, desc, group, **kw):
        out.append(FigureDef(name, desc, group, **kw))

    g = _("相談（合計）")
    add("persons.total", _("実人数（期間中に相談のあった人の数）"), g, suppressible=True)
    add("contacts.total", _("延べ件数（期間中の相談の回数）"), g, suppressible=True)
    add("new.total", _("新規（初めての相談が期間中にあった人の数）"), g, suppressible=True)
    add("referrals.total", _("つなぎの件数（期間中に行ったつなぎの合計）"), g, suppressible=True)
    g = _("相談（月別）")
    for m in _month_order():
        add(f"new.month.{m}", _("{m}月の新規").format(m=m), g, suppressible=True)
        add(f"persons.month.{m}", _("{m}月の実人数").format(m=m), g, suppressible=True)
        add(f"contacts.month.{m}", _("{m}月の延べ件数").format(m=m), g, suppressible=True)
        for k, lab in codes.METHODS:
            add(f"contacts.month.{m}.{k}", _("{m}月の延べ件数（方法: {l}）").format(m=m, l=lab),
                g, suppressible=True)
    for short, dim, dim_label in _DIMS:
        g = _("相談（{d}別）").format(d=_(dim_label))
        for k, lab in _dim_items(dim):
            for measure, mlabel in _MEASURES:
                if dim == "referral_category" and measure == "contacts":
                    add(f"referrals.{k}", _("つなぎの件数（{l}）").format(l=lab), g,
                        suppressible=True)
                    continue
                if dim == "referral_category" and measure == "persons":
                    desc = _("つないだ人数（{l}）").format(l=lab)
                else:
                    desc = _("{m}（{d}: {l}）").format(m=_(mlabel), d=_(dim_label), l=lab)
                add(f"{measure}.{short}.{k}", desc, g, suppressible=True)
    g = _("ケース状況")
    for k, lab in codes.CASE_STATUSES:
        add(f"cases.status.{k}", _("期間中に相談のあった人のうち現在「{l}」の人数").format(l=lab),
            g, suppressible=True)
    from pfdesk.services.support.figures import figure_defs as support_defs

    for name, desc, group in support_defs():  # 支援計画・評価, 終結, 進行管理
        add(name, desc, group, suppressible=True)
    g = _("会議")
    add("meetings.total.count", _("期間中に開催した会議の回数（全会議体）"), g)
    for k, lab in codes.BODY_KINDS:
        add(f"meetings.{k}.count", _("{l}の開催回数").format(l=lab), g)
        add(f"meetings.{k}.attendees", _("{l}の延べ出席者数（代理・オンライン含む）").format(l=lab), g)
        add(f"meetings.{k}.observers", _("{l}の傍聴者数の合計").format(l=lab), g)
    add("meetings.study.participants", _("学習会・情報交換会の参加者数（住民・関係機関・当事者等の合計）"), g)
    g = _("構成機関")
    add("orgs.total", _("構成機関の数（現在の登録）"), g)
    for k, lab in codes.FIELDS:
        add(f"orgs.field.{k}", _("構成機関の数（分野: {l}）").format(l=lab), g)
    g = _("窓口・実態把握・プラットフォーム")
    for name, desc in (
        ("settings.prefecture", _("都道府県名")),
        ("settings.municipality", _("自治体名")),
        ("settings.secretariat", _("事務局（担当課）")),
        ("settings.platform_name", _("プラットフォームの名称")),
        ("settings.platform_established", _("プラットフォームの設置年月（和暦）")),
        ("settings.window_exists", _("ひきこもり相談窓口の有無（有／無）")),
        ("settings.window_name", _("相談窓口の名称")),
        ("settings.publicity_methods", _("相談窓口の周知方法")),
        ("settings.survey_done", _("実態把握の実施の有無（有／無）")),
        ("settings.survey_year", _("実態把握の実施年度")),
        ("settings.survey_method", _("実態把握の方法")),
    ):
        add(name, desc, g, is_text=True)
    add("settings.survey_count", _("実態把握で把握した人数"), g)
    add("settings.survey_commissioners",
        _("実態把握で民生委員・児童委員への調査を行ったか（有／無。方法に「民生」とあれば有）"),
        g, is_text=True)
    for key, label in PUBLICITY_METHODS:
        add(f"settings.publicity.{key}",
            _("周知方法に「{l}」を使っているか（有／無）").format(l=label), g, is_text=True)
    g = _("実態把握調査")
    from pfdesk.services.survey.results import figure_defs as survey_defs

    for name, desc, is_text, suppressible in survey_defs():
        add(name, desc, g, is_text=is_text, suppressible=suppressible)
    g = _("回答者")
    add("answer.date", _("回答日（報告を作った日。日付の書式のセルには日付として記入）"), g,
        is_text=True)
    add("answer.section", _("回答者の所属（事務局の担当課）"), g, is_text=True)
    add("answer.person", _("担当者名（自治体の設定の「担当者」）"), g, is_text=True)
    add("answer.phone", _("担当者の電話番号"), g, is_text=True)
    add("answer.email", _("担当者の e-mail"), g, is_text=True)
    g = _("期間")
    add("period.label", _("報告の期間（例: 令和8年度）"), g, is_text=True)
    add("period.start", _("期間の初日（和暦）"), g, is_text=True)
    add("period.end", _("期間の末日（和暦）"), g, is_text=True)
    return tuple(out)


@cache
def _by_name() -> dict[str, FigureDef]:
    return {f.name: f for f in catalogue()}


def figure_def(name: str) -> FigureDef | None:
    """The definition of ``name``, or None for an unknown name."""
    return _by_name().get(name)


def suggest(name: str) -> str | None:
    """The known figure name closest to a mistyped ``name`` (None when nothing is close)."""
    hits = difflib.get_close_matches(name, list(_by_name()), n=1, cutoff=0.6)
    return hits[0] if hits else None


def suppress(values: dict[str, Value], max_count: int = 2,
             rule: str = "secondary") -> dict[str, Value]:
    """秘匿: counts of people or contacts from 1 to ``max_count`` become ``＊``.

    With the ``secondary`` rule, counts that would give a hidden one away through a shown
    total are hidden too (see :mod:`pfdesk.services.small_counts`).
    """
    from pfdesk.services.small_counts import protect

    def hideable(name: str) -> bool:
        d = figure_def(name)
        return d is not None and d.suppressible

    shown, _hidden = protect(values, threshold=max_count, rule=rule, hideable=hideable)
    return shown


def _stats_values(st: ConsultationStats) -> dict[str, Value]:
    v: dict[str, Value] = {
        "persons.total": st.persons, "contacts.total": st.contacts, "new.total": st.new_persons,
    }
    for m in st.by_month:
        v[f"new.month.{m.month}"] = m.new_persons
        v[f"persons.month.{m.month}"] = m.persons
        v[f"contacts.month.{m.month}"] = m.contacts
        for k in codes.METHODS.keys():
            v[f"contacts.month.{m.month}.{k}"] = m.contacts_by_method.get(k, 0)
    for short, dim, _l in _DIMS:
        for r in st.by[dim].rows:
            v[f"persons.{short}.{r.key}"] = r.persons
            v[f"new.{short}.{r.key}"] = r.new_persons
            v[f"referrals.{r.key}" if short == "referral" else f"contacts.{short}.{r.key}"] = (
                r.contacts
            )
    v["referrals.total"] = sum(r.contacts for r in st.by["referral_category"].rows)
    for k, n in st.status_counts.items():
        v[f"cases.status.{k}"] = n
    return v


def _meetings(session: Session, start: date, end: date) -> tuple[dict[str, Value], list[dict]]:
    """Held meetings of the period: figures by body kind and one row per body."""
    meetings = session.execute(
        select(Meeting, Body.name, Body.kind, Body.sort_order)
        .join(Body, Body.id == Meeting.body_id)
        .where(Meeting.status == "held", Meeting.held_on >= start, Meeting.held_on <= end)
        .order_by(Body.sort_order, Body.id, Meeting.held_on)
    ).all()
    ids = [m.id for m, *_r in meetings]
    present: dict[int, int] = {}
    titles: dict[int, list[str]] = {}
    if ids:
        for mid, response in session.execute(
            select(Attendance.meeting_id, Attendance.response).where(
                Attendance.meeting_id.in_(ids)
            )
        ):
            present[mid] = present.get(mid, 0) + (response in _PRESENT)
        for mid, title in session.execute(
            select(AgendaItem.meeting_id, AgendaItem.title)
            .where(AgendaItem.meeting_id.in_(ids), AgendaItem.case_id.is_(None),
                   AgendaItem.kind == "agenda")
            .order_by(AgendaItem.meeting_id, AgendaItem.position)
        ):
            titles.setdefault(mid, []).append(title)
    values: dict[str, int] = {"meetings.total.count": len(meetings)}
    for k in codes.BODY_KINDS.keys():
        for what in ("count", "attendees", "observers"):
            values[f"meetings.{k}.{what}"] = 0
    values["meetings.study.participants"] = 0
    bodies: dict[str, dict] = {}
    for m, body_name, kind, _order in meetings:
        kind = kind if kind in codes.BODY_KINDS else "other"
        values[f"meetings.{kind}.count"] += 1
        values[f"meetings.{kind}.attendees"] += present.get(m.id, 0)
        values[f"meetings.{kind}.observers"] += m.observers or 0
        if kind == "study":
            values["meetings.study.participants"] += (
                (m.participants_residents or 0) + (m.participants_agencies or 0)
                + (m.participants_families or 0)
            )
        row = bodies.setdefault(str(m.body_id), {
            "body": body_name, "kind": kind, "count": 0, "dates": [], "attendees": 0,
            "themes": [],
        })
        row["count"] += 1
        row["dates"].append(m.held_on.isoformat())
        row["attendees"] += present.get(m.id, 0)
        if kind in _CASE_BODIES:
            # individual cases are discussed there: a return never names them
            theme = _("個別事例の検討")
        else:
            theme = m.theme.strip() or "、".join(titles.get(m.id, []))
        if theme and theme not in row["themes"]:
            row["themes"].append(theme)
    return dict(values), list(bodies.values())


def _organizations(session: Session) -> tuple[dict[str, Value], list[dict]]:
    """Member organizations now registered (active, not merged into another)."""
    orgs = session.execute(
        select(Organization.name, Organization.name_kana, Organization.field).where(
            Organization.active.is_(True), Organization.merged_into_id.is_(None)
        )
    ).all()
    values: dict[str, int] = {f"orgs.field.{k}": 0 for k in codes.FIELDS.keys()}
    values["orgs.total"] = len(orgs)
    for o in orgs:
        key = o.field if o.field in codes.FIELDS else "other"
        values[f"orgs.field.{key}"] += 1
    field_order = {k: i for i, k in enumerate(codes.FIELDS.keys())}
    listed = sorted(
        orgs, key=lambda o: (field_order.get(o.field, 99), sort_key(o.name_kana or o.name))
    )
    return dict(values), [{"name": o.name, "field": o.field} for o in listed]


def _settings_values(session: Session) -> dict[str, Value]:
    m = load_municipality(session)
    a = load_answers(session)
    est = ""
    if m.platform_established:
        try:
            y, mo = (int(x) for x in m.platform_established.split("-")[:2])
            est = format_year_month(y, mo)
        except ValueError:
            est = m.platform_established
    values: dict[str, Value] = {
        "settings.prefecture": m.prefecture,
        "settings.municipality": m.name,
        "settings.secretariat": m.secretariat,
        "settings.platform_name": m.platform_name,
        "settings.platform_established": est,
    }
    today = demo_today(session) or date.today()
    values |= {
        "answer.date": format_date(today), "answer.section": m.secretariat,
        "answer.person": m.contact_person, "answer.phone": m.phone, "answer.email": m.email,
    }
    if read_setting(session, ANSWERS_KEY) is None:
        # never answered: leave the cells empty rather than guess 有 or 無
        return values | {
            f"settings.{k}": "" for k in (
                "window_exists", "window_name", "publicity_methods", "survey_done",
                "survey_year", "survey_method", "survey_count", "survey_commissioners",
                *(f"publicity.{key}" for key, _l in PUBLICITY_METHODS))
        }
    yes, no = _("有"), _("無")
    flags = publicity_flags(a.publicity_methods) if a.window_exists else {}
    values |= {f"settings.publicity.{key}": yes if flags.get(key) else no
               for key, _l in PUBLICITY_METHODS}
    values["settings.survey_commissioners"] = (
        yes if a.survey_done and "民生" in a.survey_method else no)
    return values | {
        "settings.window_exists": yes if a.window_exists else no,
        "settings.window_name": a.window_name if a.window_exists else "",
        "settings.publicity_methods": a.publicity_methods,
        "settings.survey_done": yes if a.survey_done else no,
        "settings.survey_year": a.survey_year if a.survey_done else "",
        "settings.survey_method": a.survey_method if a.survey_done else "",
        "settings.survey_count": (a.survey_count or 0) if a.survey_done else 0,
    }


def check_return_period(start: date, end: date) -> None:
    """A return covers at most twelve months, so month figures (``new.month.4``) are unique."""
    if end < start:
        raise ValidationError(_("期間の終わりが始まりより前です。"), field="period")
    if len(period_months(start, end)) > 12:
        raise ValidationError(
            _("報告の期間は12か月以内にしてください（{a}～{b}）。").format(
                a=format_date(start), b=format_date(end)
            ),
            field="period", hint=_("年度ごと、または月の範囲で作成します。"),
        )


def period_warnings(start: date, end: date, today: date) -> list[str]:
    """Why the figures of ``start``..``end`` may not be final: the period has not ended."""
    fy = exact_fiscal_year(start, end)
    label = period_label(start, end, fy)
    if start > today:
        return [_("{p}はまだ始まっていません（{t}現在）。数値はすべて 0 になります。").format(
            p=label, t=format_date(today))]
    if end >= today:
        what = _("年度") if fy is not None else _("期間")
        return [_("{p}はまだ終わっていません（{t}現在）。{what}の途中までの数値です。"
                  "提出用なら{what}が終わってから作り直してください。").format(
                      p=label, t=format_date(today), what=what)]
    return []


def figures_in_session(session: Session, start: date, end: date) -> FigureSet:
    """Every figure of ``start``..``end`` inside an open unit of work."""
    check_return_period(start, end)
    values = _stats_values(stats_in_session(session, start, end))
    meeting_values, meeting_rows = _meetings(session, start, end)
    org_values, org_rows = _organizations(session)
    values |= meeting_values | org_values | _settings_values(session)
    from pfdesk.services.survey.results import figure_values as survey_values

    values |= survey_values(session, fiscal_year_of(end))
    from pfdesk.services.support.figures import figure_values as support_values

    values |= support_values(session, start, end)
    fy = exact_fiscal_year(start, end)
    values["period.label"] = period_label(start, end, fy)
    values["period.start"] = format_date(start)
    values["period.end"] = format_date(end)
    missing = [f.name for f in catalogue() if f.name not in values]
    for name in missing:  # months outside a short period: nothing happened there
        values[name] = 0
    return FigureSet(
        start=start, end=end, fiscal_year=fy,
        values={f.name: values[f.name] for f in catalogue()},
        meetings=meeting_rows, organizations=org_rows,
        municipality=load_municipality(session).name,
    )


@service(Permission.STATS_READ)
def compute_figures(ctx: ServiceContext, *, start: date, end: date) -> FigureSet:
    """Every named figure of the period (no personal data)."""
    with ctx.session() as s:
        return figures_in_session(s, start, end)
