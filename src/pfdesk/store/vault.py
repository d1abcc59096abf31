"""Sealed identities: case identity fields encrypted under a key only entitled users hold.

An encrypted store (SQLCipher, key K1) is opened by every user's password. The fields
that identify a person (name, reading, birth date, address, phone, household, notes of
contacts, assessments and plans, see :data:`SEALED`) are additionally sealed cell by cell
with AES-GCM under a second key K2, the *identity key*. K2 is wrapped in ``keys.json``
only for users whose role may identify cases (and for the recovery key), so a 閲覧者 who
decrypts everything their password opens finds ciphertext in these cells.

The column types below seal on write and open on read with the K2 bound to the engine
(:func:`bind`); a session without K2 reads a sealed cell as empty (``""`` or ``None``) and
cannot write one (:class:`IdentitySealed`). In a plain store, or an encrypted one whose
identities have not been sealed yet, the types pass values through unchanged.

Sealed cells start with :data:`PREFIX`; a store may hold both kinds while it is being
sealed, and reading never depends on a setting. Which cells are sealed is fixed by the
column types (:data:`SEALED` lists them for sealing an existing store).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, Text, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from pfdesk.core.errors import StoreError
from pfdesk.core.i18n import _

#: Every sealed cell starts with this (the rest: base64 of nonce + AES-GCM ciphertext).
PREFIX = "pfv1:"
_ATTR = "pfdesk_vault"
_NONCE = 12


class IdentitySealed(StoreError):
    """A write of an identity field by a session that does not hold the identity key."""


@dataclass
class VaultState:
    """Whether the store's identities are sealed, and the identity key if this session has it."""

    active: bool = False
    key: bytes | None = None
    # The key before the last renewal, for cells a renewal interrupted left under it.
    previous: bytes | None = None


def state(dialect_or_engine) -> VaultState:
    """The vault state of an engine (or its dialect); a plain state when none was bound."""
    dialect = getattr(dialect_or_engine, "dialect", dialect_or_engine)
    found = getattr(dialect, _ATTR, None)
    if found is None:
        found = VaultState()
        setattr(dialect, _ATTR, found)
    return found


def bind(engine: Engine, *, active: bool, key: bytes | None,
         previous: bytes | None = None) -> VaultState:
    """Set whether ``engine``'s store is sealed and the identity key its sessions use."""
    st = state(engine)
    if st.key != key and hasattr(st, "_texts"):
        del st._texts  # opened texts belong to the user who had the key
    st.active, st.key, st.previous = active, key, previous if key is not None else None
    return st


def is_sealed(value) -> bool:
    """Whether a raw stored value is a sealed cell."""
    return isinstance(value, str) and value.startswith(PREFIX)


def seal_text(plain: str, key: bytes) -> str:
    """``plain`` sealed under ``key`` (a fresh nonce each time)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, plain.encode("utf-8"), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def open_text(cell: str, key: bytes) -> str:
    """The plain text of a sealed cell (StoreError when it does not open with ``key``)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.b64decode(cell[len(PREFIX):].encode("ascii"))
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], None).decode("utf-8")
    except (InvalidTag, ValueError) as e:
        raise StoreError(
            _("本人情報の暗号を解けませんでした。鍵ファイル（keys.json）とデータの組み合わせが"
              "違う可能性があります。"),
            hint=_("バックアップから戻した場合は、同じときの keys.json も戻してください。"),
        ) from e


def _seal(value: str | None, dialect) -> str | None:
    if value is None or value == "" or is_sealed(value):
        return value
    st = state(dialect)
    if not st.active:
        return value
    if st.key is None:
        raise IdentitySealed(
            _("この利用者には本人情報の鍵がないため、本人情報を保存できません。"),
            hint=_("本人情報を扱える利用者でサインインしてください。"),
        )
    return seal_text(value, st.key)


def open_with(cell: str, st: VaultState) -> str:
    """A sealed cell opened with the session's key (or the one before a renewal)."""
    assert st.key is not None
    try:
        return open_text(cell, st.key)
    except StoreError:
        if st.previous is None:
            raise
        return open_text(cell, st.previous)


def _open(value: str | None, dialect) -> str | None:
    if not is_sealed(value):
        return value
    st = state(dialect)
    return None if st.key is None else open_with(value, st)  # type: ignore[arg-type]


class _SealedStr(TypeDecorator):
    """Sealing and opening of a text cell; read as ``""`` by a session without the key."""

    impl: type[String] = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _seal(value, dialect)

    def process_result_value(self, value, dialect):
        opened = _open(value, dialect)
        return "" if opened is None and value is not None else opened


class SealedText(_SealedStr):
    """A text identity field: sealed under the identity key when the store's vault is on."""

    impl = Text
    cache_ok = True


class SealedString(_SealedStr):
    """A short identity field (name, phone): the same, declared as a string column."""

    impl = String
    cache_ok = True


class SealedWhenHeld(_SealedStr):
    """Text sealed whenever the writer holds the identity key (autosaved drafts).

    A draft can hold anything its author typed into a case form; a user without the key
    (a 閲覧者's own drafts) still gets drafts, kept as they are.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value and not is_sealed(value):
            st = state(dialect)
            if st.active and st.key is not None:
                return seal_text(value, st.key)
        return value


class SealedDate(TypeDecorator):
    """A date identity field (birth date), kept as its ISO text: sealed like the others."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, date):
            value = value.isoformat()
        return _seal(value, dialect)

    def process_result_value(self, value, dialect):
        opened = _open(value, dialect)
        return date.fromisoformat(opened[:10]) if opened else None


def sealed_columns(metadata) -> list[tuple[str, str]]:
    """(table, column) of every sealed field in ``metadata``, in a fixed order."""
    found = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        for column in table.columns:
            if isinstance(column.type, (_SealedStr, SealedDate)) \
                    and not isinstance(column.type, _CaseContent):
                found.append((table.name, column.name))
    return found


def _seal_rows(session: Session, table: str, column: str, where: str, key: bytes) -> int:
    """Seal the plain cells of ``table.column`` in the rows ``where`` selects; how many."""
    rows = session.execute(text(
        f'SELECT rowid, "{column}" FROM "{table}" WHERE {where} AND "{column}" IS NOT NULL '
        f"AND \"{column}\" != '' AND substr(\"{column}\", 1, {len(PREFIX)}) != :p"
    ), {"p": PREFIX}).all()
    if rows:
        session.execute(
            text(f'UPDATE "{table}" SET "{column}" = :v WHERE rowid = :r'),
            [{"v": seal_text(str(v), key), "r": r} for r, v in rows],
        )
    return len(rows)


def seal_existing(session: Session, key: bytes) -> int:
    """Seal every plain identity cell of the store under ``key``; the number of cells sealed.

    Reads and writes the raw values (no column types), one statement per cell kind, inside
    the caller's unit of work, so a failure leaves the store as it was. The case items of
    closed meetings (:data:`CASE_CONTENT`) are sealed in their rows only.
    """
    from pfdesk.store.models import Base

    done = sum(_seal_rows(session, table, column, "1 = 1", key)
               for table, column in sealed_columns(Base.metadata))
    return done + sum(_seal_rows(session, table, column, where, key)
                      for table, (columns, where) in CASE_CONTENT.items() for column in columns)


def session_state(session: Session) -> VaultState:
    """The vault state of the store ``session`` works on."""
    return state(session.get_bind())


class _TextCache:
    """Opened search texts by case id, kept while their sealed cells stay the same."""

    def __init__(self) -> None:
        self.cells: dict[int, tuple[str, str]] = {}


def case_ids_containing(session: Session, terms: list[str]) -> list[int]:
    """Ids of cases whose (sealed) search text contains every folded term.

    A sealed store cannot be searched in SQL: the texts are opened here with the identity
    key and matched in memory; cells unchanged since the last search are not opened again.
    """
    st = session_state(session)
    if st.key is None:
        return []
    cache = getattr(st, "_texts", None)
    if cache is None:
        cache = _TextCache()
        st._texts = cache  # type: ignore[attr-defined]
    found = []
    seen = set()
    for case_id, cell in session.execute(
            text("SELECT id, search_text FROM consultation_case")).all():
        seen.add(case_id)
        known = cache.cells.get(case_id)
        if known is None or known[0] != cell:
            plain = open_with(cell, st) if is_sealed(cell) else (cell or "")
            known = (cell, plain)
            cache.cells[case_id] = known
        if all(t in known[1] for t in terms):
            found.append(case_id)
    for gone in set(cache.cells) - seen:
        del cache.cells[gone]
    return found


# --- case content of closed meetings -----------------------------------------------

#: Bodies whose case-linked items are case content (支援会議, 個別ケース会議).
CLOSED_BODY_KINDS = ("support_meeting", "case_conference")

_CLOSED_BODIES = "SELECT id FROM body WHERE kind IN ('support_meeting', 'case_conference')"
_CLOSED_ITEMS = (
    "SELECT id FROM agenda_item WHERE case_id IS NOT NULL AND meeting_id IN "
    f"(SELECT id FROM meeting WHERE body_id IN ({_CLOSED_BODIES}))")

#: The texts sealed only when they belong to a case item of a closed meeting: for each
#: table, the columns and the rows (SQL) they are sealed in.
CASE_CONTENT: dict[str, tuple[tuple[str, ...], str]] = {
    "agenda_item": (("summary",), f"id IN ({_CLOSED_ITEMS})"),
    "decision": (("text",), f"agenda_item_id IN ({_CLOSED_ITEMS})"),
    "material": (("title",), f"agenda_item_id IN ({_CLOSED_ITEMS})"),
    "action_item": (("description", "progress_note"),
                    f"case_id IS NOT NULL AND body_id IN ({_CLOSED_BODIES})"),
}


class _CaseContent(_SealedStr):
    """Meeting text that is sealed when it is case content (see :func:`seal_case_content`).

    Whether a row is case content depends on the row (its case link, its meeting's body),
    which a column type cannot see: sealing happens before the flush, opening on reading.
    """

    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value


class CaseContentText(_CaseContent):
    """Long meeting text (要点筆記, a decision, an action item) sealed as case content."""

    impl = Text
    cache_ok = True


class CaseContentString(_CaseContent):
    """The same for a short text (a material's title)."""

    impl = String
    cache_ok = True


def _body_kind(session: Session, body_id: int | None) -> str:
    if body_id is None:
        return ""
    return session.execute(text("SELECT kind FROM body WHERE id = :i"), {"i": body_id}).scalar() \
        or ""


def _is_case_content(session: Session, obj) -> bool:
    from pfdesk.store.models import ActionItem, AgendaItem, Decision, Material, Meeting

    if isinstance(obj, AgendaItem):
        if obj.case_id is None:
            return False
        meeting = obj.meeting or session.get(Meeting, obj.meeting_id)
        return meeting is not None and _body_kind(session, meeting.body_id) in CLOSED_BODY_KINDS
    if isinstance(obj, (Decision, Material)):
        item = obj.agenda_item or session.get(AgendaItem, obj.agenda_item_id)
        return item is not None and _is_case_content(session, item)
    if isinstance(obj, ActionItem):
        return obj.case_id is not None and _body_kind(session, obj.body_id) in CLOSED_BODY_KINDS
    return False


def seal_case_content(session: Session, _flush_context, _instances) -> None:
    """Before a flush: seal the texts of closed meetings' case items (a session event).

    The objects keep their plain text in memory (restored after the flush), so a service
    that saved an item goes on reading what was typed.
    """
    from sqlalchemy import inspect

    st = session_state(session)
    if not st.active:
        return
    restore = session.info.setdefault("_vault_restore", [])
    by_class = {"AgendaItem": "agenda_item", "Decision": "decision", "Material": "material",
                "ActionItem": "action_item"}
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty]:
            table = by_class.get(type(obj).__name__)
            if table is None or not _is_case_content(session, obj):
                continue
            state_ = inspect(obj)
            for attr in CASE_CONTENT[table][0]:
                value = getattr(obj, attr)
                if not value or is_sealed(value):
                    continue
                if st.key is None:
                    if obj in session.new or state_.attrs[attr].history.has_changes():
                        raise IdentitySealed(
                            _("この利用者には本人情報の鍵がないため、非公開の会議のケースの記録を"
                              "保存できません。"),
                            hint=_("本人情報を扱える利用者でサインインしてください。"))
                    continue
                setattr(obj, attr, seal_text(value, st.key))
                restore.append((obj, attr, value))


def restore_plain(session: Session, _flush_context) -> None:
    """After a flush: the objects sealed before it hold their plain text again."""
    from sqlalchemy.orm.attributes import set_committed_value

    for obj, attr, value in session.info.pop("_vault_restore", []):
        set_committed_value(obj, attr, value)


def case_content_key(session: Session, obj) -> bytes | None:
    """The identity key to seal ``obj``'s attached file with, or None when it needs none.

    A closed meeting's case item in a sealed store needs it; a session without the key
    cannot add such a file (IdentitySealed).
    """
    st = session_state(session)
    if not st.active or not _is_case_content(session, obj):
        return None
    if st.key is None:
        raise IdentitySealed(
            _("この利用者には本人情報の鍵がないため、非公開の会議のケースの資料を保存できません。"),
            hint=_("本人情報を扱える利用者でサインインしてください。"))
    return st.key


def case_content_files(session: Session) -> list[str]:
    """The stored names of the files attached to closed meetings' case items."""
    return list(session.execute(text(
        f"SELECT DISTINCT stored_name FROM material WHERE stored_name != '' "
        f"AND agenda_item_id IN ({_CLOSED_ITEMS})")).scalars())


def _opens(cell: str, key: bytes) -> bool:
    try:
        open_text(cell, key)
    except StoreError:
        return False
    return True


def reseal(session: Session, old_key: bytes, new_key: bytes) -> int:
    """Open every sealed cell with ``old_key`` and seal it again under ``new_key``; cells done.

    Inside the caller's unit of work: a failure leaves every cell under the old key.
    """
    from pfdesk.store.models import Base

    columns = sealed_columns(Base.metadata) + [
        (table, column) for table, (cols, _where) in CASE_CONTENT.items() for column in cols]
    done = 0
    for table, column in columns:
        rows = session.execute(text(
            f'SELECT rowid, "{column}" FROM "{table}" '
            f'WHERE substr("{column}", 1, {len(PREFIX)}) = :p'), {"p": PREFIX}).all()
        if rows:
            session.execute(
                text(f'UPDATE "{table}" SET "{column}" = :v WHERE rowid = :r'),
                [{"v": v if _opens(v, new_key) else seal_text(open_text(v, old_key), new_key),
                  "r": r} for r, v in rows],
            )
            done += len(rows)
    return done
