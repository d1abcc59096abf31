"""Bringing an old 相談台帳 in: .xlsx or CSV (cp932 / UTF-8), column mapping, preview, import.

One ledger row is one contact; rows with the same 台帳番号 belong to one person and become
one case with its contacts. Every problem is reported by row and column, and nothing is
written unless the whole file is good (one transaction). The coded export lives in
:mod:`.export` and is re-exported here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from sqlalchemy import select

from pfdesk.core import codes
from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.fiscal import AGE_BANDS, age_band, fiscal_year_of
from pfdesk.core.gc_pause import gc_paused
from pfdesk.core.i18n import _
from pfdesk.core.kana import fold, to_katakana
from pfdesk.core.normalize import clean_text, normalize_phone, split_name
from pfdesk.core.permissions import Permission
from pfdesk.core.tabular import (
    CellError,
    FieldSpec,
    Table,
    format_errors,
    guess_mapping,
    load_mapping,
    load_value_choices,
    read_table,
    resolve_mapping,
    save_mapping,
)
from pfdesk.core.tabular.checks import table_problems
from pfdesk.core.tabular.values import (
    Option,
    ValueTable,
    build_value_table,
    format_value_tables,
    unresolved_lines,
)
from pfdesk.core.wareki import parse_date, parse_time
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.consultations.export import ExportResult, export_contacts  # noqa: F401
from pfdesk.services.context import ServiceContext, service
from pfdesk.store.bulk import insert_rows, table_of, write_rows
from pfdesk.store.models import Case, CaseStatusChange, Contact, SerialCounter, utcnow

#: The columns a ledger may have. Only 台帳番号 and 相談日 are required.
FIELDS: list[FieldSpec] = [
    FieldSpec("ledger_key", _("台帳番号"), ("ケース番号", "整理番号", "番号", "No", "ID"), True),
    FieldSpec("intake_date", _("受付日"), ("受付年月日",)),
    FieldSpec("name", _("氏名"), ("本人氏名", "名前", "本人")),
    FieldSpec("kana", _("ふりがな"), ("フリガナ", "よみがな", "カナ")),
    FieldSpec("sex", _("性別"), ()),
    FieldSpec("birth_date", _("生年月日"), ()),
    FieldSpec("age_band", _("年代"), ("年齢",)),
    FieldSpec("address", _("住所"), ()),
    FieldSpec("phone", _("電話番号"), ("連絡先", "電話")),
    FieldSpec("work_status", _("就労・就学状況"), ("就労状況", "就学状況")),
    FieldSpec("route", _("相談経路"), ("経路",)),
    FieldSpec("lead_staff", _("主担当"), ("担当者", "担当")),
    FieldSpec("chief_complaint", _("主訴"), ()),
    FieldSpec("close_date", _("終結日"), ()),
    FieldSpec("close_reason", _("終結理由"), ()),
    FieldSpec("contact_date", _("相談日"), ("対応日", "相談年月日", "日付"), True),
    FieldSpec("contact_time", _("時刻"), ("時間", "開始時刻")),
    FieldSpec("method", _("方法"), ("相談方法", "対応方法")),
    FieldSpec("requester", _("相談者"), ("相談者区分",)),
    FieldSpec("relation", _("続柄"), ()),
    FieldSpec("staff", _("対応者"), ()),
    FieldSpec("topics", _("相談内容"), ("主な相談内容",)),
    FieldSpec("body", _("内容"), ("経過", "記録", "相談内容詳細", "対応内容")),
    FieldSpec("next_plan", _("次回予定"), ()),
]
_LABELS = {f.key: f.label for f in FIELDS}
_CASE_FIELDS = ("intake_date", "name", "kana", "sex", "birth_date", "age_band", "address",
                "phone", "work_status", "route", "lead_staff", "chief_complaint",
                "close_date", "close_reason")
# 相談内容 labels contain ・ (仕事探し・就職), so only these separate several topics.
_SPLIT = re.compile(r"[、,，/／;；\n]+")
# Everyday spellings in old ledgers that are not the code-list labels.
_SYNONYMS = {
    "sex": {"男": "male", "女": "female", "M": "male", "F": "female", "男子": "male",
            "女子": "female", "未回答": "unknown", "不詳": "unknown"},
    "method": {"来所": "visit_office", "面接": "visit_office", "来庁": "visit_office",
               "面談": "visit_office", "窓口": "visit_office", "TEL": "phone",
               "電話相談": "phone", "家庭訪問": "home_visit", "訪問面接": "home_visit",
               "Eメール": "email", "メール相談": "email", "LINE": "online", "Zoom": "online",
               "オンライン面談": "online", "同行支援": "accompany"},
    "requester": {"家族": "family", "母": "family", "父": "family", "母親": "family",
                  "父親": "family", "兄弟": "family", "姉妹": "family", "祖父母": "family",
                  "配偶者": "family", "機関": "agency", "関係機関": "agency",
                  "支援者": "agency", "支援機関": "agency", "民生委員・児童委員": "commissioner",
                  "民生委員児童委員": "commissioner", "児童委員": "commissioner"},
    "work_status": {"就労": "employed", "正社員": "employed", "会社員": "employed",
                    "パート": "part_time", "アルバイト": "part_time", "無業": "unemployed",
                    "求職中": "unemployed", "学生": "student", "在学": "student",
                    "休職": "leave", "休学": "leave"},
    "route": {"本人": "direct", "家族": "direct", "直接": "direct", "社協": "social_welfare_council",
              "民生委員": "commissioner", "学校": "school", "病院": "medical",
              "HW": "hello_work", "サポステ": "saposute", "地域包括": "community_care",
              "保健所": "health_center", "保健センター": "health_center", "NPO": "npo",
              "役場": "municipal", "市役所": "municipal", "庁内": "municipal"},
    "close_reason": {"目標達成": "goal_met", "就職": "goal_met", "引継ぎ": "handed_over",
                     "引継": "handed_over", "転出": "moved", "本人の意思": "wish",
                     "本人希望": "wish", "連絡なし": "lost_contact", "連絡不通": "lost_contact",
                     "死去": "death"},
    "topics": {"ひきこもり": "withdrawal", "不登校": "withdrawal", "就職": "job_search",
               "仕事": "job_search", "就労": "job_search", "健康": "health", "障害": "health",
               "病気": "health", "家族関係": "family", "生活費": "income", "借金": "debt",
               "虐待": "abuse", "DV": "abuse"},
}
#: The coded columns and their code lists.
_CODED = (("sex", codes.SEXES), ("work_status", codes.WORK_STATUSES), ("route", codes.ROUTES),
          ("close_reason", codes.CLOSE_REASONS), ("method", codes.METHODS),
          ("requester", codes.REQUESTERS), ("topics", codes.TOPICS))


def _options(kind: str, code_list) -> tuple[Option, ...]:
    extra: dict[str, list[str]] = {}
    for word, key in _SYNONYMS.get(kind, {}).items():
        extra.setdefault(key, []).append(word)
    return tuple(Option(k, label, tuple(extra.get(k, ()))) for k, label in code_list)


@dataclass(frozen=True)
class PlannedContact:
    """A ledger row read and checked: one contact."""

    row: int
    occurred_at: datetime
    method: str
    requester: str
    relation: str
    staff: str
    topics: tuple[str, ...]
    body: str
    next_plan: str


@dataclass
class PlannedCase:
    """The rows of one 台帳番号 read and checked: one case."""

    ledger_key: str
    first_row: int
    values: dict[str, object] = field(default_factory=dict)
    contacts: list[PlannedContact] = field(default_factory=list)


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do: the mapping used, the counts, and every problem found."""

    source: str
    headers: list[str]
    mapping: dict[str, str]  # field key → header
    mapping_origin: str  # "given", "saved" (from the last import) or "guessed"
    missing_required: list[str]  # labels of required fields without a column
    cases: int
    contacts: int
    errors: list[CellError]
    sample: list[dict[str, str]]  # the first rows as (field label → cell text)
    #: One table per coded column: each distinct value, its count and its code.
    value_tables: list[ValueTable] = field(default_factory=list)

    @property
    def value_problems(self) -> list[str]:
        """One line per distinct value without a code."""
        return unresolved_lines(self.value_tables)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported as it is."""
        return not self.errors and not self.missing_required and not self.value_problems

    def value_text(self) -> str:
        """The value tables as text (for the command line)."""
        return format_value_tables(self.value_tables)

    @property
    def choices(self) -> dict[str, dict[str, str]]:
        """The value choices to keep with the column mapping."""
        return {t.key: t.choices() for t in self.value_tables if t.choices()}

    def error_text(self) -> str:
        """All problems in plain Japanese: open values (one line each), then by row and column."""
        lines = list(self.value_problems)
        if self.missing_required:
            lines.append(_("必須の列が見つかりません: {names}").format(
                names="、".join(self.missing_required)))
        if self.errors:
            lines.append(format_errors(self.errors, self.source))
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: cases and contacts created, and the new case numbers."""

    source: str
    cases: int
    contacts: int
    dry_run: bool
    case_numbers: list[tuple[str, str]]  # (台帳番号, new case number)
    mapping: dict[str, str] = field(default_factory=dict)  # field key → header used


#: The value tables of the file being read (set by _plan for _read_row).
_Tables = dict[str, ValueTable]


class _Codes:
    """The codes of the coded cells, each distinct cell text looked up once.

    A ledger repeats a handful of values in every row; matching one folds every value
    of its column (``ValueTable.code_for``).
    """

    def __init__(self, tables: _Tables) -> None:
        self.tables = tables
        self.seen: dict[tuple[str, str], str | None] = {}

    def __call__(self, kind: str, text: str) -> str | None:
        key = (kind, text)
        if key not in self.seen:
            # A value without a code is reported once for its column, not on every row.
            t = clean_text(text)
            table = self.tables.get(kind)
            self.seen[key] = table.code_for(t) if t and table is not None else None
        return self.seen[key]


#: Dates and times repeat from row to row, and reading one does not depend on the day it
#: is read (a value refused raises each time: exceptions are not cached).
_parse_date = lru_cache(maxsize=4096)(parse_date)
_parse_time = lru_cache(maxsize=4096)(parse_time)
#: A date and time as Excel writes them into a CSV (2025-04-01 00:00:00).
_DATE_AND_TIME = re.compile(r"^\d{4}-\d\d-\d\d ")
#: Cleaning and folding are pure, and a ledger repeats its staff, coded values and short
#: entries (「電話連絡」): each distinct text once per file (emptied after each file).
_clean = lru_cache(maxsize=1 << 16)(clean_text)
_fold = lru_cache(maxsize=1 << 14)(fold)


def _forget() -> None:
    """Empty the per-file caches: the window's process does not keep a file's strings."""
    _clean.cache_clear()
    _fold.cache_clear()
    _topics_json.cache_clear()


def _age(text: str, row: int, label: str, errors: list) -> str | None:
    t = _clean(text)
    if not t:
        return None
    for k, v in AGE_BANDS:
        if t in (k, v, _(v)):
            return k
    digits = t.rstrip("歳才")
    if digits.isdigit():
        return age_band(int(digits))
    errors.append(CellError(row, label, _("「{v}」は年代として読み取れません（例: 20代、35歳）。")
                            .format(v=t)))
    return None


#: What old ledgers write where a date is not known; read as an empty cell.
_UNKNOWN_DATE = frozenset({"不明", "不詳", "未確認", "－", "-", "―", "ー", "?", "？"})


def _date(text: str, row: int, label: str, errors: list,
          unknown_allowed: bool = False) -> date | None:
    if not text.strip() or (unknown_allowed and text.strip() in _UNKNOWN_DATE):
        return None
    try:
        return _parse_date(text.split(" ")[0] if _DATE_AND_TIME.match(text) else text)
    except ValidationError as e:
        errors.append(CellError(row, label, e.message))
        return None


def _read_row(values: dict[str, str], row: int, errors: list, code: _Codes
              ) -> tuple[dict, PlannedContact | None]:
    lab = _LABELS
    case: dict[str, object] = {}
    for key in ("intake_date", "birth_date", "close_date"):
        # a birth date is often not known; the 相談日 and 受付日 always are
        if (d := _date(values.get(key, ""), row, lab[key], errors,
                       unknown_allowed=key == "birth_date")) is not None:
            case[key] = d
    for key in ("sex", "work_status", "route", "close_reason"):
        if (k := code(key, values.get(key, ""))) is not None:
            case[key] = k
    if (a := _age(values.get("age_band", ""), row, lab["age_band"], errors)) is not None:
        case["age_band"] = a
    for key in ("name", "kana", "address", "phone", "lead_staff", "chief_complaint"):
        if text := values.get(key, "").strip():
            case[key] = text
    day = _date(values.get("contact_date", ""), row, lab["contact_date"], errors)
    if day is None and not values.get("contact_date", "").strip():
        errors.append(CellError(row, lab["contact_date"], _("相談日が空欄です。")))
    at = time(0, 0)
    if raw := values.get("contact_time", "").strip():
        try:
            at = _parse_time(raw)
        except ValidationError as e:
            errors.append(CellError(row, lab["contact_time"], e.message))
    method = code("method", values.get("method", ""))
    requester = code("requester", values.get("requester", ""))
    raw_req = _clean(values.get("requester", ""))
    relation = _clean(values.get("relation", "")) or (
        raw_req if raw_req in ("母", "父") else "")
    topics = []
    for part in _SPLIT.split(values.get("topics", "")):
        if part.strip() and (k := code("topics", part)):
            topics.append(k)
    if day is None:
        return case, None
    return case, PlannedContact(
        row=row, occurred_at=datetime.combine(day, at), method=method or "unknown",
        requester=requester or "unknown", relation=relation if requester == "family" else "",
        staff=_clean(values.get("staff", "")), topics=tuple(topics) or ("unknown",),
        body=values.get("body", "").strip(), next_plan=values.get("next_plan", "").strip(),
    )


def value_tables(table: Table, columns: dict[str, int], saved: dict[str, dict[str, str]],
                 overrides: dict[str, dict[str, str]] | None = None) -> _Tables:
    """Each coded column's distinct values matched to codes (labels, synonyms, similarity)."""
    out: _Tables = {}
    for kind, code_list in _CODED:
        col = columns.get(kind)
        if col is None:
            continue
        cells: list[tuple[int, str]] = []
        for r in table.rows:
            text = _clean(r.values[col]) if col < len(r.values) else ""
            parts = _SPLIT.split(text) if kind == "topics" else [text]
            cells += [(r.number, p.strip()) for p in parts if p.strip()]
        out[kind] = build_value_table(kind, table.headers[col], cells,
                                      _options(kind, code_list), saved.get(kind),
                                      (overrides or {}).get(kind))
    return out


def _plan(table: Table, columns: dict[str, int], tables: _Tables | None = None
          ) -> tuple[list[PlannedCase], list[CellError]]:
    tables = tables if tables is not None else value_tables(table, columns, {})
    errors: list[CellError] = table_problems(table, columns)
    if errors:
        return [], errors  # shifted or merged rows would be read into the wrong fields
    cases: dict[str, PlannedCase] = {}
    code = _Codes(tables)
    for r in table.rows:
        values = {k: (r.values[i] if i < len(r.values) else "") for k, i in columns.items()}
        if not "".join(values.values()).strip():  # a blank row
            continue
        key = _clean(values.get("ledger_key", ""))
        if not key:
            errors.append(CellError(r.number, _LABELS["ledger_key"],
                                    _("台帳番号が空欄です。同じ人の行には同じ番号を入れます。")))
            continue
        case_values, contact = _read_row(values, r.number, errors, code)
        planned = cases.setdefault(key, PlannedCase(key, r.number))
        for k, v in case_values.items():
            old = planned.values.get(k)
            if old is not None and old != v:
                errors.append(CellError(r.number, _LABELS[k], _(
                    "台帳番号「{key}」の{first}行目と値が違います（「{old}」と「{new}」）。"
                ).format(key=key, first=planned.first_row, old=old, new=v)))
            planned.values.setdefault(k, v)
        if contact is not None:
            planned.contacts.append(contact)
    for p in cases.values():
        if not (p.values.get("name") or p.values.get("kana")):
            errors.append(CellError(p.first_row, _LABELS["name"], _(
                "台帳番号「{key}」の氏名もふりがなも空欄です。分からなければ「不明」と入れます。"
            ).format(key=p.ledger_key)))
        closed = p.values.get("close_date")
        if p.values.get("close_reason") and not closed:
            errors.append(CellError(p.first_row, _LABELS["close_date"],
                                    _("終結理由があるのに終結日が空欄です。")))
    return list(cases.values()), errors


#: The columns used by the last import, reused when the next ledger has the same headers.
MAPPING_FILE = "consultations.json"


def _columns(table: Table, mapping: dict[str, str] | None,
             saved: Path | None) -> tuple[dict[str, int], str]:
    if mapping:
        return resolve_mapping(table.headers, mapping), "given"
    if saved is not None and saved.exists():
        try:
            return resolve_mapping(table.headers, load_mapping(saved)), "saved"
        except KnownError:
            pass  # a ledger of another layout: guess afresh
    return guess_mapping(table.headers, FIELDS), "guessed"


def _preview(table: Table, mapping: dict[str, str] | None,
             saved: Path | None = None, values: dict[str, dict[str, str]] | None = None,
             value_choices: dict[str, dict[str, str]] | None = None,
             ) -> tuple[ImportPreview, list]:
    columns, origin = _columns(table, mapping, saved)
    missing = [f.label for f in FIELDS if f.required and f.key not in columns]
    known = load_value_choices(saved) if saved is not None and saved.exists() else {}
    for kind, chosen in (values or {}).items():
        known[kind] = known.get(kind, {}) | chosen
    tables = value_tables(table, columns, known, value_choices)
    planned, errors = ([], []) if missing else _plan(table, columns, tables)
    # Name the column as the file's header says it, which is what the user sees in Excel.
    shown = {_LABELS[k]: table.headers[i] for k, i in columns.items() if table.headers[i]}
    errors = [CellError(e.row, shown.get(e.column, e.column), e.message) for e in errors]
    sample = [
        {_LABELS[k]: (r.values[i] if i < len(r.values) else "") for k, i in columns.items()}
        for r in table.rows[:10]
    ]
    preview = ImportPreview(
        source=table.source, headers=list(table.headers),
        mapping={k: table.headers[i] for k, i in columns.items()}, mapping_origin=origin,
        missing_required=missing,
        cases=len(planned), contacts=sum(len(p.contacts) for p in planned), errors=errors,
        sample=sample, value_tables=list(tables.values()),
    )
    return preview, planned


@service(Permission.IMPORT, Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def preview_ledger(
    ctx: ServiceContext, path: str | Path, mapping: dict[str, str] | None = None, *,
    values: dict[str, dict[str, str]] | None = None,
    value_choices: dict[str, dict[str, str]] | None = None,
) -> ImportPreview:
    """Read the ledger and report what importing it would do (nothing is written).

    ``values`` are value choices from a mapping file; ``value_choices`` the ones the user
    just made in the value table (column key → {value → code}).
    """
    try:
        with gc_paused():
            preview, _planned = _preview(read_table(path), mapping, _saved_path(ctx), values,
                                         value_choices)
    finally:
        _forget()
    return preview


def _saved_path(ctx: ServiceContext) -> Path:
    return ctx.store.paths.mappings / MAPPING_FILE


class _Serials:
    """Case numbers handed out in memory, the counters written with the cases.

    A query and a flush per case cost more than the case itself; as with
    ``next_serial``, a number handed out is never reused.
    """

    def __init__(self, s) -> None:
        self.s = s
        self.counters: dict[int, SerialCounter] = {}

    def next(self, fy: int) -> int:
        counter = self.counters.get(fy)
        if counter is None:
            counter = self.s.scalar(select(SerialCounter).where(
                SerialCounter.scope == common.CASE_SERIAL_SCOPE,
                SerialCounter.fiscal_year == fy))
            if counter is None:
                counter = SerialCounter(scope=common.CASE_SERIAL_SCOPE, fiscal_year=fy,
                                        last_value=0)
                self.s.add(counter)
            self.counters[fy] = counter
        counter.last_value += 1
        return counter.last_value


def _search_text(case, contacts: list[PlannedContact]) -> str:
    """The case's folded search text, without querying its contacts back.

    The same text ``common.refresh_search_text`` makes once the contacts are stored (a
    test compares the two).
    """
    pieces = [case.case_number, f"{case.family_name}{case.given_name}",
              f"{case.family_kana}{case.given_kana}", case.address, case.phone,
              case.household, case.school_or_employer, case.chief_complaint, case.policy,
              case.goal]
    for c in contacts:
        pieces.extend((c.body, c.next_plan))
    return common.SEARCH_SEPARATOR.join(_fold(p) for p in pieces if p)


def _new_case(p: PlannedCase, serials: _Serials) -> tuple[SimpleNamespace,
                                                         list[PlannedContact]]:
    """The case of ``p`` as the columns of its row, with its search text.

    Its contacts are added once it has an id. ``birth_ym`` is set here: the ORM's
    attribute event that keeps it does not run on a Core insert (:mod:`pfdesk.store.bulk`).
    """
    v = p.values
    contacts = sorted(p.contacts, key=lambda c: c.occurred_at)
    intake = v.get("intake_date") or (contacts[0].occurred_at.date() if contacts else None)
    if not isinstance(intake, date):  # _plan requires a 相談日 on every row
        raise ValidationError(
            _("台帳番号「{key}」に受付日も相談日もありません。").format(key=p.ledger_key),
            field="intake_date",
        )
    fy = fiscal_year_of(intake)
    serial = serials.next(fy)
    family, given = split_name(str(v.get("name", "")))
    kana_family, kana_given = split_name(to_katakana(str(v.get("kana", ""))))
    birth = v.get("birth_date")
    case = SimpleNamespace(
        case_number=common.format_case_number(fy, serial), fiscal_year=fy, serial=serial,
        intake_date=intake, family_name=family, given_name=given, family_kana=kana_family,
        given_kana=kana_given, sex=v.get("sex", "unknown"), birth_date=birth,
        address=str(v.get("address", "")), work_status=v.get("work_status", "unknown"),
        phone=normalize_phone(v["phone"]) if v.get("phone") else "",
        route=v.get("route", "unknown"), lead_staff=str(v.get("lead_staff", "")),
        chief_complaint=str(v.get("chief_complaint", "")), status="active",
        issues_json="[]", triggers_json="[]", birth_ym=birth.strftime("%Y-%m") if isinstance(birth, date) else "",
        age_band="unknown", closed_on=None, close_reason="", household="",
        school_or_employer="", policy="", goal="",
    )
    case.age_band = (common.case_age_band(cast(Case, case), intake) if birth
                     else str(v.get("age_band", "unknown")))
    closed_on = v.get("close_date")
    if isinstance(closed_on, date):
        reason = str(v.get("close_reason", "other"))
        case.status, case.closed_on, case.close_reason = "closed", closed_on, reason
    case.search_text = _search_text(case, contacts)
    return case, contacts


#: Who a contact was with, by who asked for it.
_COUNTERPART = {"self": "self", "family": "family", "agency": "agency"}
#: A ledger's contacts repeat a few sets of topics: each one's JSON made once.
_topics_json = lru_cache(maxsize=1024)(common.dumps_codes)


def _history(actor, case_id: int, case: SimpleNamespace, contacts: list[PlannedContact]
             ) -> tuple[list[dict], list[dict]]:
    """The status changes and the contacts of a case that has its id, as rows."""
    intake, who, now = case.intake_date, actor.display_name, utcnow()
    changes = [
        {"case_id": case_id, "changed_on": intake, "from_status": "", "to_status": "intake",
         "reason": _("台帳から取込"), "changed_by": who, "created_at": now},
        {"case_id": case_id, "changed_on": intake, "from_status": "intake",
         "to_status": "active", "reason": "", "changed_by": who, "created_at": now}]
    if case.status == "closed" and case.closed_on is not None:
        changes.append(
            {"case_id": case_id, "changed_on": case.closed_on, "from_status": "active",
             "to_status": "closed", "reason": codes.CLOSE_REASONS.label(case.close_reason),
             "changed_by": who, "created_at": now})
    contact_rows = [
        {"case_id": case_id, "occurred_at": c.occurred_at, "method": c.method,
         "requester": c.requester, "relation": c.relation, "staff": c.staff,
         "counterpart": _COUNTERPART.get(c.requester, "other"),
         "topics_json": _topics_json(c.topics), "main_topic": c.topics[0],
         "body": c.body, "next_plan": c.next_plan, "created_by": who}
        for c in contacts
    ]
    return changes, contact_rows


@service(Permission.IMPORT, Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def import_ledger(
    ctx: ServiceContext,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    *,
    dry_run: bool = False,
    values: dict[str, dict[str, str]] | None = None,
    value_choices: dict[str, dict[str, str]] | None = None,
) -> ImportResult:
    """Import the ledger: all of it in one transaction, or nothing when any row has a problem.

    A coded value without a code stops it, one line per distinct value; the columns and
    value choices used are kept for the next ledger.
    """
    try:
        with gc_paused():
            return _import_ledger(ctx, path, mapping, dry_run, values, value_choices)
    finally:
        _forget()


def _import_ledger(ctx: ServiceContext, path: str | Path, mapping: dict[str, str] | None,
                   dry_run: bool, values: dict[str, dict[str, str]] | None,
                   value_choices: dict[str, dict[str, str]] | None) -> ImportResult:
    table = read_table(path)
    preview, planned = _preview(table, mapping, _saved_path(ctx), values, value_choices)
    if not preview.ok:
        raise ValidationError(
            _("相談台帳を取り込めませんでした。何も登録していません。"),
            where=preview.source,
            hint=preview.error_text() + "\n"
            + _("ファイルを直してから、もう一度取り込んでください。"),
        )
    if dry_run:
        return ImportResult(table.source, preview.cases, preview.contacts, True, [],
                            preview.mapping)
    numbers: list[tuple[str, str]] = []
    with ctx.session() as s:
        try:
            # Three Core inserts for the whole file (ORM objects cost more than the
            # writing): the cases with their search text, so the index gets it with the
            # INSERT, then their status changes and contacts. A ledger makes no meeting
            # case items, the only rows the session's before_flush sealing touches; the
            # columns' own sealing applies to Core inserts (store.bulk).
            made = []
            serials = _Serials(s)
            with s.no_autoflush:
                for p in sorted(planned, key=lambda p: (
                    p.values.get("intake_date") or min(c.occurred_at for c in p.contacts).date(),
                    p.first_row,
                )):
                    case, contacts = _new_case(p, serials)
                    made.append((case, contacts))
                    numbers.append((p.ledger_key, case.case_number))
            s.flush()  # the serial counters
            conn = s.connection()
            ids = insert_rows(conn, table_of(Case), [vars(case) for case, _c in made])
            changes: list[dict] = []
            contact_rows: list[dict] = []
            for case_id, (case, contacts) in zip(ids, made, strict=True):
                more_changes, more_contacts = _history(ctx.actor, case_id, case, contacts)
                changes += more_changes
                contact_rows += more_contacts
            write_rows(conn, table_of(CaseStatusChange), changes)
            write_rows(conn, table_of(Contact), contact_rows)
        except KnownError:
            s.rollback()
            raise
        audit.record(s, ctx.actor, "consultations.import", "file", [table.source],
                     cases=preview.cases, contacts=preview.contacts,
                     mapping=json.dumps(preview.mapping, ensure_ascii=False))
        s.commit()
    saved = _saved_path(ctx)
    old = load_value_choices(saved) if saved.exists() else {}
    save_mapping(saved, preview.mapping,
                 old | {k: old.get(k, {}) | v for k, v in preview.choices.items()})
    return ImportResult(table.source, preview.cases, preview.contacts, False, numbers,
                        preview.mapping)
