"""Producing returns and remembering what was sent: each return becomes a ReturnSnapshot.

A snapshot keeps the period, the form's name and SHA-256, the mapping text, every figure
(before 秘匿, with the 秘匿 setting beside it), the output file's SHA-256, who and when.
From it the same return can be written again later without recounting, and its figures
can be set against the previous 年度 (差分). An .xlsx file records the moment it was saved,
so a re-written file has the same contents but not the same hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from pfdesk.core.atomic import sha256_file
from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.documents.return_workbook import save_return_workbook
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.returns.builtin import builtin_book
from pfdesk.services.returns.figures import (
    FigureSet,
    Value,
    catalogue,
    figures_in_session,
    period_label,
    period_warnings,
    suppress,
)
from pfdesk.services.returns.fill import (
    PreviewRow,
    check_form,
    check_out_path,
    fill_form,
    fit_rows,
    note_formulas_over_hidden,
    preview,
)
from pfdesk.services.returns.mapping import parse_mapping
from pfdesk.services.small_counts import SmallCountRule, load_rule
from pfdesk.services.summary import demo_today
from pfdesk.store.models import ReturnSnapshot

#: The 秘匿 rule used when suppression is on: counts from 1 to this become ＊.
SUPPRESS_MAX = 2


@dataclass(frozen=True)
class ReturnResult:
    """A produced return: where it went and what was written."""

    snapshot_id: int | None
    output_path: str
    output_sha256: str
    period_label: str
    suppressed: bool
    cells: list[PreviewRow]  # the filled cells (form returns); empty for the built-in book
    #: Why the figures may not be final (a 年度 not yet over), in Japanese.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SnapshotInfo:
    """One produced return, as listed in the app."""

    id: int
    fiscal_year: int | None
    start: date
    end: date
    period_label: str
    title: str
    form_name: str  # "" for the built-in workbook
    form_sha256: str
    suppressed: bool
    output_name: str
    output_sha256: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class DiffRow:
    """One figure this period and the previous 年度."""

    figure: str
    description: str
    current: Value
    previous: Value
    difference: int | None


@dataclass(frozen=True)
class SnapshotDiff:
    """A return's figures against the previous 年度's."""

    snapshot: SnapshotInfo
    previous_label: str
    previous_snapshot_id: int | None  # None: counted now from the stored records
    rows: list[DiffRow]


def _suppression(on: bool) -> str:
    return f"1-{SUPPRESS_MAX}" if on else ""


def _figures_json(fs: FigureSet) -> str:
    return json.dumps({
        "version": 1, "start": fs.start.isoformat(), "end": fs.end.isoformat(),
        "fiscal_year": fs.fiscal_year, "municipality": fs.municipality,
        "values": fs.values, "meetings": fs.meetings, "organizations": fs.organizations,
    }, ensure_ascii=False, sort_keys=True)


def _figures_from_json(text: str) -> FigureSet:
    d = json.loads(text or "{}")
    stored = d.get("values", {})
    # a figure added to the catalogue after this return was made was not counted then
    values = {f.name: stored.get(f.name, "") for f in catalogue()} | stored
    return FigureSet(
        start=date.fromisoformat(d["start"]), end=date.fromisoformat(d["end"]),
        fiscal_year=d.get("fiscal_year"), values=values,
        meetings=d.get("meetings", []), organizations=d.get("organizations", []),
        municipality=d.get("municipality", ""),
    )


def _info(r: ReturnSnapshot) -> SnapshotInfo:
    return SnapshotInfo(
        id=r.id, fiscal_year=r.fiscal_year, start=r.period_start, end=r.period_end,
        period_label=period_label(r.period_start, r.period_end, r.fiscal_year), title=r.title,
        form_name=r.form_name, form_sha256=r.form_sha256, suppressed=bool(r.suppression),
        output_name=r.output_name, output_sha256=r.output_sha256, created_by=r.created_by,
        created_at=r.created_at,
    )


def _max(suppressed: bool, rule: SmallCountRule | None = None) -> int:
    return (rule.threshold if rule else SUPPRESS_MAX) if suppressed else 0


def _shown(fs: FigureSet, suppressed: bool,
           rule: SmallCountRule | None = None) -> dict[str, Value]:
    if not suppressed:
        return dict(fs.values)
    rule = rule or SmallCountRule()
    return suppress(fs.values, rule.threshold, rule.rule)


def _record(ctx, s, fs: FigureSet, *, title, form_name="", form_sha="", mapping_text="",
            suppressed: bool, out: Path) -> ReturnSnapshot:
    snap = ReturnSnapshot(
        fiscal_year=fs.fiscal_year, period_start=fs.start, period_end=fs.end, title=title,
        form_name=form_name, form_sha256=form_sha, mapping_text=mapping_text,
        figures_json=_figures_json(fs), suppression=_suppression(suppressed),
        output_name=out.name, output_sha256=sha256_file(out), created_by=ctx.actor.user_name,
    )
    s.add(snap)
    s.flush()
    audit.record(s, ctx.actor, "returns.make", "return_snapshot", [snap.id],
                 period=fs.period_label, form=form_name or "builtin", output=out.name,
                 sha256=snap.output_sha256, suppression=snap.suppression)
    return snap


@service(Permission.RETURN_MAKE)
def make_builtin_return(
    ctx: ServiceContext, *, start: date, end: date, out_path: str | Path,
    suppress_small: bool = False,
) -> ReturnResult:
    """Write the built-in return workbook for the period and keep a snapshot of it."""
    out = Path(out_path)
    check_out_path(out)
    with ctx.session() as s:
        # 秘匿 is on unless the settings turn it off: a return leaves the office.
        rule = load_rule(s)
        suppressed = suppress_small or rule.enabled
        fs = figures_in_session(s, start, end)
        book = builtin_book(fs, _shown(fs, suppressed, rule), suppressed=suppressed)
        save_return_workbook(book, out)
        snap = _record(ctx, s, fs, title=book.title, suppressed=suppressed, out=out)
        s.commit()
        return ReturnResult(snap.id, str(out), snap.output_sha256, fs.period_label,
                            suppressed, [], _warnings(s, start, end))


def _warnings(s, start: date, end: date) -> tuple[str, ...]:
    return tuple(period_warnings(start, end, demo_today(s) or date.today()))


@service(Permission.STATS_READ)
def return_period_warnings(ctx: ServiceContext, *, start: date, end: date) -> list[str]:
    """Warnings about the chosen period (a 年度 not yet over), for the 報告 screen."""
    with ctx.session() as s:
        return list(_warnings(s, start, end))


@service(Permission.RETURN_MAKE)
def preview_form_return(
    ctx: ServiceContext, *, start: date, end: date, form_path: str | Path,
    mapping_text: str, mapping_source: str = "mapping.toml", suppress_small: bool = False,
) -> list[PreviewRow]:
    """Check the mapping against the form and list each target cell with its value.

    Raises MappingError (every problem, by line) when the mapping does not fit the form.
    """
    mapping = parse_mapping(mapping_text, mapping_source)
    wb = check_form(form_path, mapping)
    with ctx.session() as s:
        rule = load_rule(s)
        fs = figures_in_session(s, start, end)
    suppressed = suppress_small or mapping.suppress_small or rule.enabled
    return fit_rows(wb, mapping, note_formulas_over_hidden(
        wb, preview(mapping, _shown(fs, suppressed, rule), _max(suppressed, rule))))


@service(Permission.RETURN_MAKE)
def make_form_return(
    ctx: ServiceContext, *, start: date, end: date, form_path: str | Path, mapping_text: str,
    out_path: str | Path, mapping_source: str = "mapping.toml", suppress_small: bool = False,
) -> ReturnResult:
    """Fill a copy of the prefecture's form and keep a snapshot.

    Nothing is written when the mapping does not fit the form (MappingError).
    """
    mapping = parse_mapping(mapping_text, mapping_source)
    form, out = Path(form_path), Path(out_path)
    suppressed = suppress_small or mapping.suppress_small
    with ctx.session() as s:
        rule = load_rule(s)
        suppressed = suppressed or rule.enabled
        fs = figures_in_session(s, start, end)
        cells = fill_form(form, mapping, _shown(fs, suppressed, rule), out,
                          _max(suppressed, rule))
        snap = _record(
            ctx, s, fs, title=mapping.title or form.stem, form_name=form.name,
            form_sha=sha256_file(form), mapping_text=mapping_text, suppressed=suppressed,
            out=out,
        )
        s.commit()
        return ReturnResult(snap.id, str(out), snap.output_sha256, fs.period_label,
                            suppressed, cells, _warnings(s, start, end))


@service(Permission.STATS_READ)
def list_snapshots(ctx: ServiceContext) -> list[SnapshotInfo]:
    """Every return produced, newest first."""
    with ctx.session() as s:
        rows = s.scalars(
            select(ReturnSnapshot).order_by(ReturnSnapshot.created_at.desc(),
                                            ReturnSnapshot.id.desc())
        ).all()
        return [_info(r) for r in rows]


def _get(s, snapshot_id: int) -> ReturnSnapshot:
    snap = s.get(ReturnSnapshot, snapshot_id)
    if snap is None:
        raise NotFound(_("作成履歴（番号 {id}）が見つかりません。").format(id=snapshot_id))
    return snap


@service(Permission.RETURN_MAKE)
def reproduce_snapshot(
    ctx: ServiceContext, snapshot_id: int, out_path: str | Path,
    form_path: str | Path | None = None,
) -> ReturnResult:
    """Write a return again from its snapshot's stored figures and mapping (no recount).

    A return made on a prefecture's form needs that same form again; a different file
    (another hash) is refused so the copy really is what was sent.
    """
    out = Path(out_path)
    with ctx.session() as s:
        snap = _get(s, snapshot_id)
        fs = _figures_from_json(snap.figures_json)
        suppressed = bool(snap.suppression)
        cells: list[PreviewRow] = []
        if not snap.form_name:
            save_return_workbook(builtin_book(fs, _shown(fs, suppressed), suppressed=suppressed),
                                 out)
        else:
            if form_path is None:
                raise ValidationError(
                    _("この報告は様式「{form}」に記入したものです。同じ様式ファイルを選んで"
                      "ください。").format(form=snap.form_name), field="form")
            if sha256_file(form_path) != snap.form_sha256:
                raise ValidationError(
                    _("選んだ様式「{name}」は、作成時の様式「{form}」と内容が違います。").format(
                        name=Path(form_path).name, form=snap.form_name),
                    field="form", hint=_("作成時に使った様式ファイルを選んでください。"))
            mapping = parse_mapping(snap.mapping_text, _("作成履歴の記入設定"))
            cells = fill_form(form_path, mapping, fs.values, out, _max(suppressed))
        sha = sha256_file(out)
        audit.record(s, ctx.actor, "returns.reproduce", "return_snapshot", [snap.id],
                     output=out.name, sha256=sha)
        s.commit()
        return ReturnResult(snap.id, str(out), sha, fs.period_label, suppressed, cells)


@service(Permission.STATS_READ)
def snapshot_figures(ctx: ServiceContext, snapshot_id: int) -> FigureSet:
    """The figures stored with a snapshot (before 秘匿)."""
    with ctx.session() as s:
        return _figures_from_json(_get(s, snapshot_id).figures_json)


def _year_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


@service(Permission.STATS_READ)
def compare_with_previous_year(ctx: ServiceContext, snapshot_id: int) -> SnapshotDiff:
    """差分: the snapshot's figures against the same period one year earlier.

    The previous year's most recent snapshot of the same period is used when there is
    one; otherwise the previous year is counted now from the stored records.
    """
    with ctx.session() as s:
        snap = _get(s, snapshot_id)
        info = _info(snap)
        cur = _figures_from_json(snap.figures_json)
        p_start = _year_before(snap.period_start)
        p_end = _year_before(snap.period_end + timedelta(days=1)) - timedelta(days=1)
        prev_snap = s.scalars(
            select(ReturnSnapshot)
            .where(ReturnSnapshot.period_start == p_start, ReturnSnapshot.period_end == p_end)
            .order_by(ReturnSnapshot.created_at.desc(), ReturnSnapshot.id.desc())
            .limit(1)
        ).first()
        prev = (_figures_from_json(prev_snap.figures_json) if prev_snap
                else figures_in_session(s, p_start, p_end))
    rows = []
    for f in catalogue():
        a, b = cur.values.get(f.name, 0), prev.values.get(f.name, 0)
        numeric = isinstance(a, int) and isinstance(b, int)
        if numeric and a == 0 and b == 0:
            continue
        if not numeric and a == b:
            continue
        rows.append(DiffRow(f.name, f.description, a, b,
                            (a - b) if isinstance(a, int) and isinstance(b, int) else None))
    return SnapshotDiff(info, prev.period_label, prev_snap.id if prev_snap else None, rows)


@dataclass(frozen=True)
class ReturnDefaults:
    """What the returns page starts with: today and the 年度 a return is usually for."""

    today: date
    fiscal_year: int  # the last completed 年度


@service(Permission.STATS_READ)
def return_defaults(ctx: ServiceContext) -> ReturnDefaults:
    """Today (the demo's fixed day in the demo town) and the previous 年度."""
    from pfdesk.core.fiscal import fiscal_year_of
    from pfdesk.services.summary import demo_today

    with ctx.session() as s:
        today = demo_today(s) or date.today()
    return ReturnDefaults(today, fiscal_year_of(today) - 1)
