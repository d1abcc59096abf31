"""秘匿 of small counts with secondary suppression, so no hidden cell can be worked out.

Primary: a count of people or contacts from 1 to the threshold (2 by default) is hidden
(「＊」). Secondary: wherever a total and its parts are both shown (年代 rows summing to
実人数, 年代×性別 summing to each 年代 and each 性別, 月別 summing to the year, 方法 by month
…), a line with exactly one hidden cell would give that cell away by subtraction, so the
smallest other count of the line is hidden too, until no line has exactly one hidden
cell. The additive lines follow the counting rules of :mod:`pfdesk.services.stats`.

The rule and threshold are settings (``small_counts``), on by default; they are documented
in ``docs/figures.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.settings import read_setting, write_setting

#: Where the rule is kept in the settings table.
SETTINGS_KEY = "small_counts"

#: What a hidden count prints as.
HIDDEN = "＊"

#: ``secondary``: hide small counts and whatever would give them away (the default);
#: ``primary``: hide small counts only (not safe where totals are shown; for internal use).
RULES = {"secondary": "秘匿（小さい数と、合計から計算できてしまう数も隠す）",
         "primary": "小さい数だけを隠す（合計から計算できる場合があります）"}


@dataclass(frozen=True)
class SmallCountRule:
    """The 秘匿 setting: whether it is on, which rule, and the largest count hidden."""

    enabled: bool = True
    rule: str = "secondary"
    threshold: int = 2


def load_rule(session: Session) -> SmallCountRule:
    """The rule in force (the default when nothing was saved)."""
    raw = read_setting(session, SETTINGS_KEY) or {}
    rule = SmallCountRule(enabled=bool(raw.get("enabled", True)),
                          rule=str(raw.get("rule", "secondary")),
                          threshold=int(raw.get("threshold", 2)))
    return rule if rule.rule in RULES else SmallCountRule(rule.enabled, "secondary",
                                                             rule.threshold)


def save_rule(session: Session, rule: SmallCountRule) -> None:
    """Store ``rule`` after checking it (the caller checks SETTINGS_WRITE and commits)."""
    if rule.rule not in RULES:
        raise ValidationError(_("秘匿の方法は「secondary」か「primary」を選んでください。"),
                              field="rule")
    if not 1 <= rule.threshold <= 9:
        raise ValidationError(_("秘匿する数の上限は1から9までで指定してください。"),
                              field="threshold")
    write_setting(session, SETTINGS_KEY, {"enabled": rule.enabled, "rule": rule.rule,
                                          "threshold": rule.threshold})


Line = tuple[str, tuple[str, ...]]  # (total, parts)

_PERSON_DIMS = ("age", "sex", "route")
_CONTACT_DIMS = ("requester", "method", "topic")
_MONTH_METHOD = re.compile(r"^contacts\.month\.(\d+)\.(.+)$")


def _children(keys: set[str], prefix: str) -> tuple[str, ...]:
    return tuple(sorted(k for k in keys if k.startswith(prefix) and "." not in k[len(prefix):]))


def figure_lines(keys: Iterable[str]) -> list[Line]:
    """Every (total, parts) pair of the return figures that adds up exactly."""
    keys = set(keys)
    lines: list[Line] = []

    def add(total: str, parts: tuple[str, ...]) -> None:
        if total in keys and parts:
            lines.append((total, parts))

    for m in ("persons", "contacts", "new"):
        for dim in _PERSON_DIMS:
            add(f"{m}.total", _children(keys, f"{m}.{dim}."))
        for age in _children(keys, f"{m}.age."):
            band = age.rsplit(".", 1)[1]
            add(age, _children(keys, f"{m}.age_sex.{band}."))
        for sex in _children(keys, f"{m}.sex."):
            s = sex.rsplit(".", 1)[1]
            add(sex, tuple(sorted(k for k in keys if k.startswith(f"{m}.age_sex.")
                                  and k.endswith(f".{s}") and k.count(".") == 3)))
    for m in ("contacts", "new"):
        for dim in _CONTACT_DIMS:
            add(f"{m}.total", _children(keys, f"{m}.{dim}."))
        add(f"{m}.total", _children(keys, f"{m}.month."))
    add("referrals.total", tuple(k for k in _children(keys, "referrals.") if k != "referrals.total"))
    for dim in ("age", "sex", "period"):  # 実態把握調査: each adds up to the persons described
        add("survey.described", _children(keys, f"survey.{dim}."))
    add("persons.total", _children(keys, "cases.status."))
    add("closures.total", _children(keys, "closures.reason."))  # 終結 by reason
    by_method: dict[str, list[str]] = {}
    for k in keys:
        hit = _MONTH_METHOD.match(k)
        if hit:
            by_method.setdefault(hit.group(2), []).append(k)
    for month in _children(keys, "contacts.month."):
        add(month, _children(keys, f"{month}."))
    for method, parts in by_method.items():
        add(f"contacts.method.{method}", tuple(sorted(parts)))
    return lines


def protect(values: dict, *, threshold: int = 2, rule: str = "secondary",
            hideable: Callable[[str], bool] = lambda _k: True,
            lines: list[Line] | None = None) -> tuple[dict, set[str]]:
    """``values`` with small counts (and, by ``rule``, their giveaways) replaced by ＊.

    Returns the shown values and the set of hidden names.
    """
    hidden = {k for k, v in values.items()
              if hideable(k) and isinstance(v, int) and 1 <= v <= threshold}
    if rule == "secondary":
        lines = figure_lines(values) if lines is None else lines
        changed = True
        while changed:
            changed = False
            for total, parts in lines:
                members = (total, *parts)
                if sum(1 for k in members if k in hidden) != 1:
                    continue
                pick = _second(values, parts, total, hidden)
                if pick is not None:
                    hidden.add(pick)
                    changed = True
    shown = {k: (HIDDEN if k in hidden else v) for k, v in values.items()}
    return shown, hidden


def _second(values: dict, parts: tuple[str, ...], total: str, hidden: set[str]) -> str | None:
    """The cell to hide beside a lone hidden one: the smallest positive part, else the total."""
    visible = [k for k in parts if k not in hidden and isinstance(values.get(k), int)]
    positive = sorted((values[k], k) for k in visible if values[k] > 0)
    if positive:
        return positive[0][1]
    if total not in hidden and isinstance(values.get(total), int):
        return total
    zeros = [k for k in visible if values[k] == 0]
    return zeros[0] if zeros else None


def recoverable(shown: dict, lines: list[Line]) -> dict[str, int]:
    """Hidden cells an outsider can work out from the shown ones, line by line, repeatedly."""
    known = {k: v for k, v in shown.items() if isinstance(v, int)}
    found: dict[str, int] = {}
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            members = (total, *parts)
            unknown = [k for k in members if k not in known and k in shown]
            if len(unknown) != 1:
                continue
            k = unknown[0]
            if k == total:
                value = sum(known[p] for p in parts if p in known)
            else:
                value = known[total] - sum(known[p] for p in parts if p != k and p in known)
            known[k] = found[k] = value
            changed = True
    return found


class HiddenCount(int):
    """A count withheld by 秘匿: it reads 「＊」 and adds up as 0 (a chart draws no bar)."""

    def __new__(cls, _value: int = 0) -> HiddenCount:
        # The argument is accepted (and ignored) so copy/pickle can rebuild it.
        return super().__new__(cls, 0)

    def __str__(self) -> str:
        return HIDDEN

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return HIDDEN


def _stats_figures(st) -> dict[str, int]:
    """The statistics under the return figure names, so :func:`figure_lines` applies."""
    dims = {"age_band": "age", "sex": "sex", "age_sex": "age_sex", "requester": "requester",
            "method": "method", "topic": "topic", "route": "route"}
    v = {"persons.total": st.persons, "contacts.total": st.contacts,
         "new.total": st.new_persons}
    for m in st.by_month:
        ym = f"{m.year}{m.month:02d}"  # digits only: a period may hold the same month twice
        v[f"new.month.{ym}"] = m.new_persons
        v[f"persons.month.{ym}"] = m.persons
        v[f"contacts.month.{ym}"] = m.contacts
        for k, n in m.contacts_by_method.items():
            v[f"contacts.month.{ym}.{k}"] = n
    for dim, b in st.by.items():
        for r in b.rows:
            if dim == "referral_category":
                v[f"referrals.{r.key}"] = r.contacts
                v[f"referred.persons.{r.key}"] = r.persons
                v[f"referred.new.{r.key}"] = r.new_persons
                continue
            short = dims[dim]
            v[f"persons.{short}.{r.key}"] = r.persons
            v[f"contacts.{short}.{r.key}"] = r.contacts
            v[f"new.{short}.{r.key}"] = r.new_persons
    v["referrals.total"] = sum(r.contacts for r in st.by["referral_category"].rows) \
        if "referral_category" in st.by else 0
    for k, n in st.status_counts.items():
        v[f"cases.status.{k}"] = n
    return v


def protect_stats(st, rule: SmallCountRule):
    """A copy of ``st`` (ConsultationStats) with 秘匿 applied: hidden counts are HiddenCount."""
    from dataclasses import replace

    from pfdesk.services.stats import Breakdown, BreakdownRow, MonthRow

    values = _stats_figures(st)
    _shown, hidden = protect(values, threshold=rule.threshold, rule=rule.rule)

    def n(key: str, value: int) -> int:
        return HiddenCount() if key in hidden else value

    dims = {"age_band": "age"}
    by = {}
    for dim, b in st.by.items():
        rows = []
        for r in b.rows:
            if dim == "referral_category":
                rows.append(BreakdownRow(r.key, r.label, n(f"referred.persons.{r.key}", r.persons),
                                         n(f"referrals.{r.key}", r.contacts),
                                         n(f"referred.new.{r.key}", r.new_persons)))
                continue
            short = dims.get(dim, dim)
            rows.append(BreakdownRow(r.key, r.label, n(f"persons.{short}.{r.key}", r.persons),
                                     n(f"contacts.{short}.{r.key}", r.contacts),
                                     n(f"new.{short}.{r.key}", r.new_persons)))
        by[dim] = Breakdown(b.dimension, b.label, rows)
    months = []
    for m in st.by_month:
        ym = f"{m.year}{m.month:02d}"
        months.append(MonthRow(
            m.year, m.month, n(f"new.month.{ym}", m.new_persons),
            n(f"persons.month.{ym}", m.persons), n(f"contacts.month.{ym}", m.contacts),
            {k: n(f"contacts.month.{ym}.{k}", c) for k, c in m.contacts_by_method.items()}))
    return replace(
        st, persons=n("persons.total", st.persons), contacts=n("contacts.total", st.contacts),
        new_persons=n("new.total", st.new_persons), by=by, by_month=months,
        status_counts={k: n(f"cases.status.{k}", c) for k, c in st.status_counts.items()},
    )


@service(Permission.STATS_READ)
def get_small_count_rule(ctx: ServiceContext) -> SmallCountRule:
    """The 秘匿 rule in force."""
    with ctx.session() as s:
        return load_rule(s)


#: The rule's fields as a conflict message names them.
RULE_LABELS = (("enabled", _("秘匿する")), ("rule", _("秘匿の方法")),
               ("threshold", _("秘匿する数の上限")))


@dataclass(frozen=True)
class _RuleShown:
    """A rule as the reader sees it (the method by its label), for a conflict message."""

    enabled: bool
    rule: str
    threshold: int


def _shown(rule: SmallCountRule) -> _RuleShown:
    return _RuleShown(rule.enabled, _(RULES.get(rule.rule, rule.rule)), rule.threshold)


@service(Permission.SETTINGS_WRITE)
def set_small_count_rule(ctx: ServiceContext, rule: SmallCountRule, *,
                         seen: SmallCountRule | None = None) -> None:
    """Change the 秘匿 rule (administrators); the change is recorded in the audit log.

    ``seen`` is the rule the form (or command) started from: when another PC saved a
    different one since, nothing is written and an EditConflict says who and what changed
    (its ``current`` is ``Seen(0, rule as stored)``, the form's next ``seen``).
    """
    from pfdesk.services.edit_versions import check_shown

    with ctx.session() as s:
        before = load_rule(s)
        check_shown(s, SETTINGS_KEY, None if seen is None else _shown(seen), _shown(before),
                    labels=RULE_LABELS, what=_("設定（小さい数の秘匿）"),
                    action="settings.small_counts", stored=before)
        save_rule(s, rule)
        audit.record(s, ctx.actor, "settings.small_counts", "setting", [SETTINGS_KEY],
                     before=before.__dict__, after=rule.__dict__)
        s.commit()
