"""名簿の取り込み: an Excel or CSV list of contacts, checked, previewed, and applied whole.

The same code makes the preview and the import: the preview runs the import in a
transaction and rolls it back, so what the user saw is exactly what lands. Any cell
error rejects the whole file, naming row and column; nothing is written. The words in
the 分野 and 種別 columns are matched once per distinct value (:mod:`.value_codes`), and
a person is the same as one already known only when name and reading both agree.

The directory is read as plain rows and the file is written with Core ``INSERT`` /
``UPDATE`` statements, one per table and column set (building ORM objects for 10,000
rows cost more than the writing). The directory's tables hold no sealed columns, so the
session's ``before_flush`` sealing (:mod:`pfdesk.store.vault`, case items of closed
meetings) has nothing to do here (``tests/services/test_import_core_writes.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import cast

from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pfdesk.core import kana
from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.core.gc_pause import gc_paused
from pfdesk.core.i18n import _
from pfdesk.core.normalize import (
    clean_text,
    normalize_email,
    normalize_phone,
    normalize_postal,
    split_name,
)
from pfdesk.core.permissions import Permission
from pfdesk.core.tabular import (
    CellError,
    Row,
    Table,
    fold_header,
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
    ValueTable,
    build_value_table,
    format_value_tables,
    unresolved_lines,
)
from pfdesk.core.wareki import parse_date
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import (
    is_current,
    org_search_text,
    person_search_text,
    today_of,
)
from pfdesk.services.directory.io import CONTACT_FIELDS
from pfdesk.services.directory.value_codes import (
    KIND_FIELD,
    field_options,
    kind_options,
    split_field_code,
)
from pfdesk.store.bulk import insert_rows, table_of
from pfdesk.store.models import Organization, Person, Post

MAPPING_FILE = "contacts.json"

#: Folding is pure and a file repeats its organization names, readings and values
#: (emptied after each file).
_fold = lru_cache(maxsize=1 << 16)(kana.fold)
_clean = lru_cache(maxsize=1 << 16)(clean_text)
# The checks are pure too; a value they refuse raises each time (exceptions are not cached).
_phone = lru_cache(maxsize=1 << 16)(normalize_phone)
_email = lru_cache(maxsize=1 << 16)(normalize_email)
_postal = lru_cache(maxsize=1 << 16)(normalize_postal)
_split_name = lru_cache(maxsize=1 << 16)(split_name)


@lru_cache(maxsize=1 << 16)
def _hiragana(text: str) -> tuple[str, bool]:
    """A reading in ひらがな, and whether it is one (kana, ー, ・ and spaces only)."""
    hira = kana.to_hiragana(text)
    return hira, not hira or kana.is_reading(hira)


_CACHES = (_fold, _clean, _phone, _email, _postal, _split_name, _hiragana)

ADD, UPDATE, UNCHANGED = "add", "update", "unchanged"


@dataclass(frozen=True)
class ImportRow:
    """What happens to one row: ``action`` add / update / unchanged / error."""

    row: int
    action: str
    organization: str
    person: str
    duplicate_of: str = ""  # who this row was matched with, as shown to the user
    decision: str = ""  # "update" or "add" for rows that matched someone
    changes: tuple[str, ...] = ()
    review: str = ""  # 要確認: why this new person may be someone already known


@dataclass(frozen=True)
class ImportPreview:
    """The checked file: columns used, what each row would do, and every cell error."""

    source: str
    headers: list[str]
    mapping: dict[str, str]  # field key → header
    mapping_origin: str  # "given", "saved" or "guessed"
    rows: list[ImportRow]
    errors: list[CellError] = field(default_factory=list)
    applied: bool = False
    #: One table per coded column (分野, 種別): each distinct value, its count and its code.
    value_tables: list[ValueTable] = field(default_factory=list)

    def count(self, action: str) -> int:
        """How many rows have ``action``."""
        return sum(1 for r in self.rows if r.action == action)

    @property
    def value_problems(self) -> list[str]:
        """One line per distinct value that has no code yet."""
        return unresolved_lines(self.value_tables)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported as it is."""
        return not self.errors and not self.value_problems

    def value_text(self) -> str:
        """The value tables as text (for the command line)."""
        return format_value_tables(self.value_tables)

    @property
    def choices(self) -> dict[str, dict[str, str]]:
        """The value choices to save with the column mapping."""
        return {t.key: t.choices() for t in self.value_tables}

    @property
    def duplicates(self) -> int:
        """Rows that matched an existing person or an earlier row."""
        return sum(1 for r in self.rows if r.duplicate_of)

    def error_text(self) -> str:
        """The unresolved values (one line each), then the errors, one line per cell."""
        lines = self.value_problems
        if self.errors:
            lines = [*lines, format_errors(self.errors, self.source)]
        return "\n".join(lines)


def _mapping_path(ctx: ServiceContext) -> Path:
    return ctx.store.paths.mappings / MAPPING_FILE


def _choose_mapping(ctx: ServiceContext, table: Table, given: dict[str, str] | None
                    ) -> tuple[dict[str, int], str]:
    if given:
        return resolve_mapping(table.headers, given), "given"
    saved_path = _mapping_path(ctx)
    if saved_path.exists():
        try:
            return resolve_mapping(table.headers, load_mapping(saved_path)), "saved"
        except KnownError:
            pass  # another layout: guess afresh
    cols = guess_mapping(table.headers, CONTACT_FIELDS)
    # A lone 名 column next to 氏名 is usually something else (機関名 etc. were taken).
    if "full_name" in cols and "family_name" not in cols:
        cols.pop("given_name", None)
    if "full_kana" in cols and "family_kana" not in cols:
        cols.pop("given_kana", None)
    return cols, "guessed"


class _Rec:
    """A person, organization or post of the plan: its columns as attributes.

    A stored record keeps its id and notes which columns a row changed (``dirty``); a new
    one (``id`` None) is inserted whole. A new post refers to its new person or
    organization by ``person`` / ``organization`` until they have ids.
    """

    def __init__(self, id_: int | None, **values) -> None:
        self.__dict__.update(values, id=id_, dirty=set())

    def __setattr__(self, name: str, value) -> None:
        if self.__dict__.get(name, _UNSET) != value:
            self.dirty.add(name)
        self.__dict__[name] = value

    def __getattr__(self, name: str):  # only for attributes never set (mypy's view)
        raise AttributeError(name)

    @property
    def full_name(self) -> str:
        """A person's 姓 and 名 separated by a full-width space."""
        return f"{self.family_name}　{self.given_name}".strip("　")


_UNSET = object()

#: The columns the plan reads and writes, per table (the rest keep their defaults).
_ORG_COLS = ("name", "name_kana", "field", "kind", "postal_code", "address", "phone", "fax",
             "email", "department", "networks", "note", "search_text")
_PERSON_COLS = ("family_name", "given_name", "family_kana", "given_kana", "phone", "email",
                "note", "search_text")
_PERSON_KEYS = ("id", *_PERSON_COLS)  # a stored person's row: these first, then others
_POST_COLS = ("person_id", "organization_id", "department", "title", "start_on", "end_on",
              "phone", "email", "confirmed_fy")


def _insert(conn: Connection, table: SqlTable, recs: list[_Rec], cols: tuple[str, ...]
            ) -> None:
    """Insert the new records in one statement and give each its id."""
    ids = insert_rows(conn, table, [{c: rec.__dict__[c] for c in cols} for rec in recs])
    for rec, id_ in zip(recs, ids, strict=True):
        rec.__dict__["id"] = id_
        rec.dirty.clear()  # inserted whole: nothing left for _update_rows to write


def _update_rows(conn: Connection, table: SqlTable, recs) -> None:
    """Write the changed columns of stored records: one UPDATE per set of columns."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for rec in recs:
        if rec.id is not None and rec.dirty:
            cols = tuple(sorted(rec.dirty))
            groups.setdefault(cols, []).append(
                {"rec_id": rec.id, **{"v_" + c: rec.__dict__[c] for c in cols}})
    for cols, params in groups.items():
        stmt = (update(table).where(table.c.id == bindparam("rec_id"))
                .values({c: bindparam("v_" + c) for c in cols}))
        conn.execute(stmt, params)


class _Plan:
    """Runs the rows against an open session, recording outcomes and cell errors."""

    def __init__(self, s: Session, table: Table, cols: dict[str, int],
                 decisions: dict[int, str], add_duplicates: bool,
                 value_tables: dict[str, ValueTable]) -> None:
        self.s, self.table, self.cols = s, table, cols
        self.value_tables = value_tables
        self.decisions, self.add_duplicates = decisions, add_duplicates
        self.today = today_of(s)
        self.fy = fiscal_year_of(self.today)
        self.errors: list[CellError] = []
        self._blank = {f.key: "" for f in CONTACT_FIELDS}  # the fields no column fills
        self._mapped = [(k, c) for k, c in cols.items() if k in self._blank]
        self.rows: list[ImportRow] = []
        org_t, person_t, post_t = (table_of(Organization), table_of(Person),
                                   table_of(Post))
        # Only the organizations the file names are looked up (and "" for rows naming
        # none): the directory's other organizations, their posts and people are read but
        # not made into records (most of the start's time at scale).
        named = self._named_orgs()
        live_org = org_t.c.merged_into_id.is_(None)
        # The last organization of a folded name wins, as it always has; only names are
        # read to find them, their columns only when the file names any.
        found = {key: id_ for id_, name in s.execute(select(org_t.c.id, org_t.c.name)
                                                     .where(live_org))
                 if (key := _fold(name)) in named}
        org_ids = set(found.values())
        org_names = ("id", *_ORG_COLS)
        self.orgs: dict[str, _Rec] = {}
        for r in s.execute(select(*(org_t.c[c] for c in org_names))
                           .where(live_org)) if org_ids else ():
            if r.id in org_ids:
                self.orgs[_fold(r.name)] = _Rec(r.id, **dict(zip(org_names, r, strict=True)))
        self.new_orgs: list[_Rec] = []
        self._org_texts: set[int] = set()  # organizations whose search text is current
        self.new_people: list[_Rec] = []
        self.new_posts: list[_Rec] = []
        # Posts by (person, organization), loaded once: a query per row is slow at scale.
        # New people and organizations have no id until they are written at the end, so
        # they are keyed by a token of their own (see _key).
        self._keys: dict[int, int | tuple[str, int]] = {}
        self.posts: dict[tuple[int | tuple[str, int], int | tuple[str, int]], list[_Rec]] = {}
        post_names = ("id", *_POST_COLS)
        for r in s.execute(select(*(post_t.c[c] for c in post_names))
                           .order_by(post_t.c.start_on, post_t.c.id)) if org_ids else ():
            if r.organization_id in org_ids:
                self.posts.setdefault((r.person_id, r.organization_id), []).append(
                    _Rec(r.id, **dict(zip(post_names, r, strict=True))))
        # People by folded organization name: (person, label, folded name, folded reading).
        self.people: dict[str, list[tuple[_Rec, int | str, str, str]]] = {}
        self._indexed: set[tuple[str, int]] = set()  # (folded organization, id of person)
        self.stored_people: dict[int, _Rec] = {}
        live = person_t.c.merged_into_id.is_(None)
        person_cols = [person_t.c[c] for c in _PERSON_KEYS]
        # Who holds a post where, newest first; people's columns only for the named places.
        held = [(person_id, org_name) for person_id, org_name in s.execute(
            select(person_t.c.id, org_t.c.name)
            .join(post_t, post_t.c.person_id == person_t.c.id)
            .join(org_t, org_t.c.id == post_t.c.organization_id)
            .where(live)
            .order_by(post_t.c.start_on.desc())
        ) if _fold(org_name) in named]
        wanted = {person_id for person_id, _org in held}
        rows = {r.id: r for r in s.execute(select(*person_cols).where(live))
                if r.id in wanted} if wanted else {}
        for person_id, org_name in held:
            p = self._stored_person(rows[person_id])
            self._index(p, org_name, _("既存: {name}（{org}）").format(name=p.full_name,
                                                                     org=org_name))
        for r in s.execute(select(*person_cols).where(
                live, ~exists().where(post_t.c.person_id == person_t.c.id))):
            p = self._stored_person(r)
            self._index(p, "", _("既存: {name}").format(name=p.full_name))

    def _named_orgs(self) -> set[str]:
        """The folded organization names of the file's rows, and "" (a row naming none)."""
        col = self.cols.get("org_name")
        named = {""}
        if col is not None:
            named.update(_fold(_clean(r.values[col])) for r in self.table.rows
                         if col < len(r.values))
        return named

    def _stored_person(self, r) -> _Rec:
        p = self.stored_people.get(r.id)
        if p is None:
            p = self.stored_people[r.id] = _Rec(
                r.id, **dict(zip(_PERSON_KEYS, r, strict=False)))
        return p

    def _index(self, p: _Rec, org_name: str, label: int | str, name: str = "",
               reading: str = "") -> None:
        org_key = _fold(org_name)
        if (org_key, id(p)) in self._indexed:
            return
        self._indexed.add((org_key, id(p)))
        self.people.setdefault(org_key, []).append(
            (p, label, name or _fold(p.family_name + p.given_name),
             reading or _fold(p.family_kana + p.given_kana)))

    def _same_person(self, n: int, org_name: str, name: str, reading: str
                     ) -> tuple[tuple[_Rec, int | str] | None, str]:
        """The person this row is, and else who it may be confused with (要確認).

        Two people are the same only when the folded name agrees and so does the reading
        (where both have one): 伊藤 健 and 伊東 健 share a reading but are two people.
        Such a row is added as a new person unless the user answered "update" for it.
        """
        review = ""
        for p, label, known_name, known_reading in self.people.get(_fold(org_name), []):
            if known_name == name and (not reading or not known_reading
                                       or known_reading == reading):
                return (p, label), ""
            if not review and ((reading and known_reading == reading) or known_name == name):
                if self.decisions.get(n) == "update":
                    return (p, label), ""
                what = _("読み") if known_name != name else _("氏名")
                where = (_("{row}行目").format(row=label) if isinstance(label, int)
                         else _("登録済み"))
                review = _("要確認: {what}が同じ「{name}」（{where}）とは別の人として"
                           "追加します。").format(what=what, name=p.full_name, where=where)
        return None, review

    def header(self, key: str) -> str:
        return self.table.headers[self.cols[key]] if key in self.cols else ""

    def fail(self, row: int, key: str, message: str) -> None:
        self.errors.append(CellError(row, self.header(key), message))

    # -- one row --------------------------------------------------------------------------

    def _key(self, obj: _Rec) -> int | tuple[str, int]:
        """A stable key: the id of a stored record, a token for one added by this file."""
        key = self._keys.get(id(obj))
        if key is None:
            key = self._keys[id(obj)] = obj.id if obj.id is not None else ("new", id(obj))
        return key

    def run(self) -> None:
        # Rows are planned in memory and written together at the end (a flush per row
        # cost 85x the bare inserts).
        for r in self.table.rows:
            self.row(r.number, r.values)
        if not self.errors:
            self.write()

    def write(self) -> None:
        """Insert the new records, then update the changed columns of stored ones."""
        conn = self.s.connection()
        _insert(conn, table_of(Organization), self.new_orgs, _ORG_COLS)
        _insert(conn, table_of(Person), self.new_people, _PERSON_COLS)
        for post in self.new_posts:
            post.__dict__["person_id"] = post.person.id
            post.__dict__["organization_id"] = post.organization.id
        _insert(conn, table_of(Post), self.new_posts, _POST_COLS)
        _update_rows(conn, table_of(Organization), self.orgs.values())
        _update_rows(conn, table_of(Person), self.stored_people.values())
        _update_rows(conn, table_of(Post), (p for held in self.posts.values() for p in held))

    def _checked(self, n: int, v: dict[str, str], key: str, fn) -> str:
        try:
            return fn(v[key])
        except ValidationError as e:
            message = e.message + (" " + e.hint if e.hint else "")
            typed = v[key]
            if (key in ("phone", "org_phone", "fax") and typed.isdigit()
                    and not typed.startswith("0") and "先頭の0" not in message):
                # Excel turns 0889521234 typed into a number cell into 889521234.
                message += " " + _("Excel が先頭の0を消した可能性があります。"
                                   "列を文字列の書式にして入力し直してください。")
            self.fail(n, key, message)
            return ""

    def _reading(self, n: int, v: dict[str, str], key: str) -> str:
        text, ok = _hiragana(v[key])
        if not ok:
            self.fail(n, key, _("「{t}」にかな以外の文字があります。ひらがなかカタカナで"
                                "入力してください。").format(t=v[key]))
            return ""
        return text

    def _code(self, v: dict[str, str], key: str) -> str:
        # An open value is reported once for the column (value_problems), not per row.
        table = self.value_tables.get(key)
        return (table.code_for(v[key]) or "") if table and v[key] else ""

    def row(self, n: int, values: list[str]) -> None:
        v = dict(self._blank)
        for key, col in self._mapped:
            if col < len(values):
                v[key] = _clean(values[col])
        family, given = v["family_name"], v["given_name"]
        if not family and v["full_name"]:
            family, given = _split_name(v["full_name"])
        fk, gk = v["family_kana"], v["given_kana"]
        if not fk and v["full_kana"]:
            fk, gk = _split_name(v["full_kana"])
        v["family_kana"], v["given_kana"] = fk, gk
        before = len(self.errors)
        fk, gk = self._reading(n, v, "family_kana"), self._reading(n, v, "given_kana")
        if v["full_kana"] and before != len(self.errors):
            for e in self.errors[before:]:
                e.column = e.column or self.header("full_kana")
        org_kana = self._reading(n, v, "org_kana")
        phone = self._checked(n, v, "phone", _phone)
        org_phone = self._checked(n, v, "org_phone", _phone)
        fax = self._checked(n, v, "fax", _phone)
        email = self._checked(n, v, "email", _email)
        postal = self._checked(n, v, "postal_code", _postal)
        fld, implied_kind = split_field_code(self._code(v, "field"))
        kind = self._code(v, "kind") or implied_kind
        if kind and not fld:
            fld = KIND_FIELD.get(kind, "")
        start = self._checked(n, v, "start_on", lambda t: parse_date(t) if t else None)
        org_name = v["org_name"]
        if not org_name and not family:
            key = "org_name" if "org_name" in self.cols else "full_name"
            self.fail(n, key, _("機関名も氏名も空です。どちらかを入力してください。"))
        if len(self.errors) != before:
            self.rows.append(ImportRow(n, "error", org_name, f"{family}　{given}".strip("　")))
            return
        changes: list[str] = []
        org = None
        org_added = False
        if org_name:
            org = self.orgs.get(_fold(org_name))
            if org is None:
                # Blank fields set here, not by the flush at the end: later rows read them.
                org = _Rec(None, name=org_name, field=fld or "other", kind=kind or "other",
                           search_text="", **dict.fromkeys(_ORG_TEXT, ""))
                self.new_orgs.append(org)
                self.orgs[_fold(org_name)] = org
                org_added = True
            has_person = bool(family)
            org_values = {
                "name_kana": org_kana, "field": fld, "kind": kind, "fax": fax,
                "postal_code": postal, "address": v["address"],
                # A person's 電話番号 is their desk's; it is the organization's only
                # on a row that names no person.
                "phone": org_phone or ("" if has_person else phone),
                "email": "" if has_person else email,
                "department": "" if has_person else v["department"],
                "note": "" if has_person else v["note"],
            }
            org_changes = _update(org, org_values)
            changes += [f"org.{k}" for k in org_changes]
            if org_changes or id(org) not in self._org_texts:
                # Once per organization, and again when a row changed it (the five rows
                # of one organization would fold the same text five times).
                self._org_texts.add(id(org))
                org.search_text = org_search_text(cast(Organization, org), _fold)
        if not family:
            action = ADD if org_added else (UPDATE if changes else UNCHANGED)
            self.rows.append(ImportRow(n, action, org_name, "", changes=tuple(changes)))
            return
        self._person_row(n, org, org_added, v, family, given, fk, gk, phone, email, start,
                         changes)

    def _person_row(self, n, org, org_added, v, family, given, fk, gk, phone, email, start,
                    changes) -> None:
        name_f, reading_f = _fold(family + given), _fold(fk + gk)
        org_name = org.name if org else ""
        match, review = self._same_person(n, org_name, name_f, reading_f)
        decision = ""
        person = None
        if match:
            decision = self.decisions.get(n, "add" if self.add_duplicates else "update")
            if decision == "update":
                person = match[0]
        person_added = person is None
        if person is None:
            person = _Rec(None, family_name=family, search_text="",
                          **dict.fromkeys(_PERSON_TEXT, ""))
            self.new_people.append(person)
        note = v["note"]
        if review and person_added:
            note = "\n".join(x for x in (note, review) if x)
        elif note and note in (person.note or ""):
            note = ""  # kept as it is, with the 要確認 line the first import added
        person_values = {"family_name": family, "given_name": given, "family_kana": fk,
                         "given_kana": gk, "note": note}
        changes += [f"person.{k}" for k in _update(person, person_values)]
        person.search_text = person_search_text(cast(Person, person), _fold)
        if org is not None:
            changes += self._post(person, org, v, phone, email, start)
        name = f"{family}　{given}".strip("　")
        label = _("{row}行目と同じ人").format(row=match[1]) if match and isinstance(
            match[1], int) else (match[1] if match else "")
        if person_added or org_added:
            action = ADD
        else:
            action = UPDATE if changes else UNCHANGED
        if review and person_added:
            decision = "add"  # the user may still say it is the same person ("update")
        self.rows.append(ImportRow(n, action, org_name, name,
                                   duplicate_of=str(label), decision=decision,
                                   changes=tuple(changes), review=review if person_added else ""))
        if person_added or not match:
            self._index(person, org_name, n, name_f, reading_f)

    def _post(self, person: _Rec, org: _Rec, v, phone, email, start) -> list[str]:
        held = self.posts.setdefault((self._key(person), self._key(org)), [])
        current = [p for p in held if is_current(p.start_on, p.end_on, self.today)]
        values = {"department": v["department"], "title": v["title"], "phone": phone,
                  "email": email}
        post = current[-1] if current else None
        moved = post is not None and any(
            values[k] and getattr(post, k) and _fold(values[k]) != _fold(getattr(post, k))
            for k in ("department", "title"))
        if post is not None and not moved:
            changed = _update(post, values)
            if start and post.start_on != start:
                post.start_on = start
                changed.append("start_on")
            return [f"post.{k}" for k in changed]
        if moved and post is not None:
            # A new 部署 or 職名 is a new post: the old one ends, history is kept.
            first = start or self.today
            post.end_on = max(first - timedelta(days=1), post.start_on or date.min)
            values = {k: values[k] or getattr(post, k) for k in values}
        # The person and organization get their ids when they are written (write()).
        new = _Rec(None, start_on=start, end_on=None, confirmed_fy=self.fy, person=person,
                   organization=org, person_id=None, organization_id=None, **values)
        self.new_posts.append(new)
        held.append(new)
        return ["post"]


def _update(obj, values: dict[str, str]) -> list[str]:
    """Set the non-blank values that differ; equal after folding keeps the stored spelling.

    That rule keeps 髙橋 as typed when a cp932 file brings it back as 高橋.
    """
    changed = []
    for name, value in values.items():
        if not value:
            continue
        old = getattr(obj, name) or ""
        if old == value or (old and _fold(old) == _fold(value)):
            continue
        setattr(obj, name, value)
        changed.append(name)
    return changed


#: Text fields of a new record, blank until a row fills them.
_ORG_TEXT = ("name_kana", "postal_code", "address", "phone", "fax", "email", "department",
             "networks", "note")
_PERSON_TEXT = ("given_name", "family_kana", "given_kana", "phone", "email", "note")

_NAME_KEYS = ("org_name", "full_name", "family_name")


def _looks_like_header(cells: list[str]) -> bool:
    # A title cell such as 「関係機関名簿」 matches one field; a header row matches several.
    found = guess_mapping(cells, CONTACT_FIELDS)
    return len(found) >= 2 and any(k in found for k in _NAME_KEYS)


def _header_row(table: Table, mapping: dict[str, str] | None) -> Table:
    """Skip a title above the header (「関係機関名簿　令和8年4月1日現在」 in A1).

    The header is the first row that holds every column of ``mapping`` or, without one,
    that looks like a header (an organization or person column and at least one more).
    Up to five rows are looked at; row numbers stay those Excel shows.
    """

    def is_header(cells: list[str]) -> bool:
        if mapping:
            present = {fold_header(c) for c in cells}
            return all(fold_header(h) in present for h in mapping.values())
        return _looks_like_header(cells)

    if is_header(table.headers):
        return table
    for i, row in enumerate(table.rows[:5]):
        if is_header(row.values):
            headers = list(row.values)
            while headers and not headers[-1]:
                headers.pop()
            rows = [Row(r.number, r.values + [""] * (len(headers) - len(r.values)), r.short_of)
                    for r in table.rows[i + 1:]]
            return Table(table.source, headers, rows, header_row=row.number,
                         merged=table.merged, uncalculated=table.uncalculated)
    return table


def _value_tables(ctx: ServiceContext, table: Table, cols: dict[str, int],
                  values: dict[str, dict[str, str]] | None,
                  overrides: dict[str, dict[str, str]] | None) -> dict[str, ValueTable]:
    """Match each distinct 分野 / 種別 value: saved choices, labels, synonyms, similarity."""
    saved_path = _mapping_path(ctx)
    saved = load_value_choices(saved_path) if saved_path.exists() else {}
    for key, choices in (values or {}).items():
        saved[key] = saved.get(key, {}) | choices
    out = {}
    for key, options in (("field", field_options()), ("kind", kind_options())):
        col = cols.get(key)
        if col is None:
            continue
        cells = [(r.number, clean_text(r.values[col]) if col < len(r.values) else "")
                 for r in table.rows]
        out[key] = build_value_table(key, table.headers[col], cells, options, saved.get(key),
                                     (overrides or {}).get(key))
    return out


def _run(ctx: ServiceContext, s: Session, path, mapping, decisions, add_duplicates,
         sheet: str | None = None, values: dict[str, dict[str, str]] | None = None,
         overrides: dict[str, dict[str, str]] | None = None, progress=None,
         ) -> tuple[ImportPreview, dict[str, str]]:
    reading = None if progress is None else (
        lambda done, total: progress(done, total, _("{n} 行目まで読みました").format(n=done)))
    table = _header_row(read_table(path, sheet=sheet, progress=reading), mapping)
    try:
        cols, origin = _choose_mapping(ctx, table, mapping)
    except ValidationError as e:
        raise ValidationError(e.message, field=e.field, hint=e.hint,
                              where=Path(path).name) from None
    if "org_name" not in cols and "full_name" not in cols and "family_name" not in cols:
        raise ValidationError(
            _("ファイル「{name}」に、機関名または氏名の列が見つかりません。").format(
                name=table.source),
            hint=_("1行目に「機関名」「氏名」などの見出しがあるか確認するか、"
                   "列の対応づけで指定してください。見出し: {h}").format(
                       h="、".join(table.headers)),
        )
    tables = _value_tables(ctx, table, cols, values, overrides)
    problems = table_problems(table, cols)
    try:
        plan = _Plan(s, table, cols, decisions or {}, add_duplicates, tables)
        if problems:
            # A shifted or merged row would be read into the wrong fields: check nothing more.
            plan.errors = problems
        else:
            plan.run()
    finally:
        # The window's process keeps running: the file's strings are not kept after it.
        for cached in _CACHES:
            cached.cache_clear()
    named = {k: table.headers[c] for k, c in cols.items()}
    return ImportPreview(table.source, table.headers, named, origin, plan.rows,
                         plan.errors, value_tables=list(tables.values())), named


@service(Permission.IMPORT, Permission.DIRECTORY_WRITE)
def preview_contacts_import(
    ctx: ServiceContext, path: str | Path, *, mapping: dict[str, str] | None = None,
    decisions: dict[int, str] | None = None, add_duplicates: bool = False,
    sheet: str | None = None, values: dict[str, dict[str, str]] | None = None,
    value_choices: dict[str, dict[str, str]] | None = None, progress=None,
) -> ImportPreview:
    """Check a file and say what each row would do; nothing is stored.

    ``mapping`` (field key → header) overrides the saved or guessed columns; ``decisions``
    (row number → "update"/"add") answers duplicates, which otherwise update (or add, with
    ``add_duplicates``). ``sheet`` names the worksheet of a workbook (default: the first).
    ``values`` are value choices read from a mapping file (field key → {value → code});
    ``value_choices`` are the ones the user just picked in the value table. ``progress``
    (done, total, text) hears how far a large workbook has been read.
    """
    with gc_paused(), ctx.session() as s:
        preview, _named = _run(ctx, s, path, mapping, decisions, add_duplicates, sheet,
                               values, value_choices, progress)
        s.rollback()
    return preview


@service(Permission.IMPORT, Permission.DIRECTORY_WRITE)
def import_contacts(
    ctx: ServiceContext, path: str | Path, *, mapping: dict[str, str] | None = None,
    decisions: dict[int, str] | None = None, add_duplicates: bool = False,
    remember_mapping: bool = True, sheet: str | None = None,
    values: dict[str, dict[str, str]] | None = None,
    value_choices: dict[str, dict[str, str]] | None = None, progress=None,
) -> ImportPreview:
    """Import the whole file or nothing; raises ValidationError naming each bad cell.

    A value of 分野 or 種別 without a code stops the import (one line per value). The
    columns used and the value choices are saved and reused for the next file.
    """
    with gc_paused(), ctx.session() as s:
        preview, named = _run(ctx, s, path, mapping, decisions, add_duplicates, sheet,
                              values, value_choices, progress)
        if not preview.ok:
            s.rollback()
            raise ValidationError(
                preview.error_text(),
                hint=_("ファイルを直してから、もう一度取り込んでください。"
                       "このファイルからは何も取り込んでいません。"),
            )
        audit.record(
            s, ctx.actor, "directory.import", "organization", [],
            file=preview.source, added=preview.count(ADD), updated=preview.count(UPDATE),
            unchanged=preview.count(UNCHANGED), mapping=json.dumps(named, ensure_ascii=False),
        )
        s.commit()
    if remember_mapping:
        saved_path = _mapping_path(ctx)
        old = load_value_choices(saved_path) if saved_path.exists() else {}
        keep = {k: old.get(k, {}) | v for k, v in preview.choices.items()}
        save_mapping(saved_path, named, {k: v for k, v in (old | keep).items() if v})
    return ImportPreview(preview.source, preview.headers, preview.mapping,
                         preview.mapping_origin, preview.rows, [], applied=True,
                         value_tables=preview.value_tables)


def workbook_sheets(path: str | Path) -> list[str]:
    """The worksheet names of an .xlsx/.xlsm file, in order; [] for CSV or unreadable files.

    Lets the import ask which sheet to read when a workbook has several (庁内 / 庁外 …).
    """
    src = Path(path)
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    from openpyxl import load_workbook

    try:
        book = load_workbook(src, read_only=True)
    except Exception:  # read_table reports a damaged file properly when it is read
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()
