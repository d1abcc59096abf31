"""Results of a survey: counts by 地区, 年代, 性別, 期間, 状態, きっかけ … and return figures.

The previous survey is counted beside, and the named figures a prefecture return can use
(``survey.…``) come from here.

把握人数 is the sum of the numbers of people each respondent says they know; the tables
count the persons entered one by one (a respondent may know more than they describe).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.fiscal import AGE_BANDS, PERIOD_BANDS, fiscal_year_of
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.survey.surveys import get_survey_row
from pfdesk.services.survey.template import normalize_questions, option_keys
from pfdesk.store.models import Survey

#: What suppression puts in place of a count from 1 to :data:`SMALL`.
SUPPRESSED = "＊"
SMALL = 2

#: Tables of the report: (key, heading, question key, person attribute).
TABLES: tuple[tuple[str, str, str, str], ...] = (
    ("age", "年代別", "age", "age_band"),
    ("sex", "性別", "sex", "sex"),
    ("period", "期間別", "period", "period"),
    ("family", "家族構成別", "family", "family"),
    ("states", "状態別（複数回答）", "states", "states"),
    ("triggers", "きっかけ別（複数回答）", "triggers", "triggers"),
    ("support", "支援状況別", "support", "support"),
    ("supporter", "支援している機関・人別", "supporter", "supporter"),
    ("knows_window", "相談窓口の認知", "knows_window", "knows_window"),
)


@dataclass(frozen=True)
class CountRow:
    """One line of a table: a label, its stored value and the count."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class DistrictRow:
    """回収 and 把握 of one 地区 (organizations are one group, 関係機関)."""

    district: str
    asked: int
    answered: int
    known: int
    described: int


@dataclass(frozen=True)
class SurveyResults:
    """Every count of one survey."""

    survey_id: int
    fiscal_year: int
    title: str
    asked: int
    answered: int
    commissioners_asked: int
    commissioners_answered: int
    known_total: int  # 把握人数
    described: int  # persons entered one by one
    districts: tuple[DistrictRow, ...]
    tables: dict[str, tuple[CountRow, ...]]

    @property
    def fiscal_year_label(self) -> str:
        """令和8年度."""
        return format_fiscal_year(self.fiscal_year)

    @property
    def rate(self) -> float:
        """回収率 in percent."""
        return 100.0 * self.answered / self.asked if self.asked else 0.0

    def count(self, table: str, key: str) -> int:
        """The count of ``key`` in ``table`` (0 when absent)."""
        return next((r.count for r in self.tables[table] if r.key == key), 0)


def shown(n: int, *, suppress: bool) -> str:
    """A count as printed: 1 and 2 become 「＊」 when suppressing small counts."""
    return SUPPRESSED if suppress and 1 <= n <= SMALL else str(n)


def results_in_session(session: Session, survey_id: int) -> SurveyResults:
    """Count one survey inside an open unit of work."""
    sv = get_survey_row(session, survey_id)
    questions = normalize_questions(sv.questions)
    answered = [r for r in sv.respondents if r.answered_on is not None]
    persons = [p for r in answered for p in r.persons]
    tables: dict[str, tuple[CountRow, ...]] = {}
    for key, _heading, qkey, attr in TABLES:
        counter: Counter[str] = Counter()
        for p in persons:
            value = getattr(p, attr)
            if key == "supporter" and not value:
                continue  # asked only of those who get support: blank is not 不明
            for v in (value or []) if isinstance(value, list) else [value]:
                counter[v or "不明"] += 1
        if qkey in ("age", "sex", "period"):
            pairs = option_keys(qkey)
        else:
            pairs = [(o, o) for o in questions[qkey]["options"]]
            if not questions[qkey].get("enabled", True):
                pairs = []
        known = {k for k, _l in pairs}
        pairs += [(k, k) for k in counter if k not in known]  # options dropped since
        tables[key] = tuple(CountRow(k, lab, counter.get(k, 0)) for k, lab in pairs)
    groups: dict[str, list] = {}
    for r in sv.respondents:
        group = (r.district or _("地区不明")) if r.kind == "commissioner" else _("関係機関")
        groups.setdefault(group, []).append(r)
    districts = tuple(DistrictRow(
        district=g, asked=len(rs), answered=sum(r.answered_on is not None for r in rs),
        known=sum(r.known_count or 0 for r in rs if r.answered_on is not None),
        described=sum(len(r.persons) for r in rs if r.answered_on is not None),
    ) for g, rs in groups.items())
    commissioners = [r for r in sv.respondents if r.kind == "commissioner"]
    return SurveyResults(
        survey_id=sv.id, fiscal_year=sv.fiscal_year, title=sv.title,
        asked=len(sv.respondents), answered=len(answered),
        commissioners_asked=len(commissioners),
        commissioners_answered=sum(r.answered_on is not None for r in commissioners),
        known_total=sum(r.known_count or 0 for r in answered), described=len(persons),
        districts=districts, tables=tables)


#: Tables whose counts add up to the persons described (one answer per person).
SINGLE_ANSWER = ("age", "sex", "period", "family", "support", "knows_window")


def report_values(r: SurveyResults) -> tuple[dict[str, int], list[tuple[str, tuple[str, ...]]]]:
    """The report's counts by name and the lines among them that add up.

    Names: 「age.20s」 for table cells, 「district.本町」 for 把握人数 by 地区, 「described」
    and 「known」 for the totals. Lines: each single-answer table to the persons described,
    the 地区 to 把握人数, and who supports to those supported when the two add up.
    """
    values: dict[str, int] = {f"{t}.{row.key}": row.count
                              for t, rows in r.tables.items() for row in rows}
    values |= {f"district.{d.district}": d.known for d in r.districts}
    values["described"], values["known"] = r.described, r.known_total
    lines = [("described", tuple(f"{t}.{row.key}" for row in r.tables[t]))
             for t in SINGLE_ANSWER if r.tables[t]]
    lines.append(("known", tuple(f"district.{d.district}" for d in r.districts)))
    supporters = tuple(f"supporter.{row.key}" for row in r.tables["supporter"])
    for row in r.tables["support"][:1]:
        if supporters and row.count == sum(values[k] for k in supporters):
            lines.append((f"support.{row.key}", supporters))
    return values, lines


def protected(r: SurveyResults, *, threshold: int, rule: str) -> dict[str, int | str]:
    """The report's counts after 秘匿 (see :mod:`pfdesk.services.small_counts`).

    Small counts are hidden, and with the ``secondary`` rule also whatever would give
    them away along a line of :func:`report_values`; the totals stay shown.
    """
    from pfdesk.services.small_counts import protect

    values, lines = report_values(r)
    shown, _hidden = protect(values, threshold=threshold, rule=rule,
                             hideable=lambda k: k not in ("described", "known"), lines=lines)
    return shown


def previous_survey_id(session: Session, survey_id: int) -> int | None:
    """The survey before ``survey_id`` (earlier 年度, or the same 年度 entered earlier)."""
    sv = get_survey_row(session, survey_id)
    earlier = session.scalars(select(Survey).where(
        (Survey.fiscal_year < sv.fiscal_year)
        | ((Survey.fiscal_year == sv.fiscal_year) & (Survey.id < sv.id)))
        .order_by(Survey.fiscal_year.desc(), Survey.id.desc()).limit(1)).first()
    return earlier.id if earlier else None


@service(Permission.STATS_READ)
def survey_results(ctx: ServiceContext, survey_id: int) -> tuple[SurveyResults,
                                                                  SurveyResults | None]:
    """The survey's counts and those of the survey before it (None when it is the first)."""
    with ctx.session() as s:
        current = results_in_session(s, survey_id)
        prev = previous_survey_id(s, survey_id)
        return current, (results_in_session(s, prev) if prev is not None else None)


# ---------------------------------------------------------------------------------------------
# Named figures for returns

#: (name, description, is_text, suppressible)
def figure_defs() -> list[tuple[str, str, bool, bool]]:
    """The ``survey.…`` figures: the latest survey of the return's 年度 or before."""
    out = [
        ("survey.done", _("実態把握調査の実施（有／無。報告の年度以前に pfdesk で行った調査）"), True,
         False),
        ("survey.year", _("実態把握調査の実施年度（和暦）"), True, False),
        ("survey.title", _("実態把握調査の名称"), True, False),
        ("survey.persons", _("実態把握調査の把握人数（回答者が把握している人数の合計）"), False,
         False),
        ("survey.described", _("実態把握調査で1人ずつ回答のあった人数"), False, False),
        ("survey.respondents", _("実態把握調査の調査数（依頼した回答者の数）"), False, False),
        ("survey.answered", _("実態把握調査の回収数"), False, False),
        ("survey.response_rate", _("実態把握調査の回収率（例: 87.5%）"), True, False),
        ("survey.commissioners", _("民生委員・児童委員への調査の実施（有／無）"), True, False),
        ("survey.commissioners.asked", _("調査を依頼した民生委員・児童委員の数"), False, False),
        ("survey.commissioners.answered", _("回答のあった民生委員・児童委員の数"), False, False),
    ]
    for key, label in AGE_BANDS:
        out.append((f"survey.age.{key}", _("実態把握調査の人数（年代: {l}）").format(l=_(label)),
                    False, True))
    for key, label in option_keys("sex"):
        out.append((f"survey.sex.{key}", _("実態把握調査の人数（性別: {l}）").format(l=label),
                    False, True))
    for key, label in PERIOD_BANDS:
        out.append((f"survey.period.{key}", _("実態把握調査の人数（期間: {l}）").format(
            l=_(label)), False, True))
    return out


def figure_values(session: Session, end_fy: int) -> dict[str, int | str]:
    """The ``survey.…`` figures from the latest survey of 年度 ``end_fy`` or before."""
    sv = session.scalars(select(Survey).where(Survey.fiscal_year <= end_fy)
                         .order_by(Survey.fiscal_year.desc(), Survey.id.desc()).limit(1)).first()
    values: dict[str, int | str] = {name: (0 if not is_text else "")
                                    for name, _d, is_text, _s in figure_defs()}
    if sv is None:
        values["survey.done"] = _("無")
        values["survey.commissioners"] = _("無")
        return values
    r = results_in_session(session, sv.id)
    values |= {
        "survey.done": _("有"), "survey.year": r.fiscal_year_label, "survey.title": r.title,
        "survey.persons": r.known_total, "survey.described": r.described,
        "survey.respondents": r.asked, "survey.answered": r.answered,
        "survey.response_rate": f"{r.rate:.1f}%",
        "survey.commissioners": _("有") if r.commissioners_asked else _("無"),
        "survey.commissioners.asked": r.commissioners_asked,
        "survey.commissioners.answered": r.commissioners_answered,
    }
    for table, prefix in (("age", "survey.age"), ("sex", "survey.sex"),
                          ("period", "survey.period")):
        for row in r.tables[table]:
            if f"{prefix}.{row.key}" in values:
                values[f"{prefix}.{row.key}"] = row.count
    return values


def fiscal_year_for_period(end) -> int:
    """The 年度 whose surveys a return of a period ending on ``end`` may report."""
    return fiscal_year_of(end)
