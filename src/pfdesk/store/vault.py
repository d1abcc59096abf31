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


def state(dialect_or_engine) -> VaultState:
    """The vault state of an engine (or its dialect); a plain state when none was bound."""
    dialect = getattr(dialect_or_engine, "dialect", dialect_or_engine)
    found = getattr(dialect, _ATTR, None)
    if found is None:
        found = VaultState()
        setattr(dialect, _ATTR, found)
    return found


def bind(engine: Engine, *, active: bool, key: bytes | None) -> VaultState:
    """Set whether ``engine``'s store is sealed and the identity key its sessions use."""
    st = state(engine)
    if st.key != key and hasattr(st, "_texts"):
        del st._texts  # opened texts belong to the user who had the key
    st.active, st.key = active, key
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


def _open(value: str | None, dialect) -> str | None:
    if not is_sealed(value):
        return value
    key = state(dialect).key
    return None if key is None else open_text(value, key)  # type: ignore[arg-type]


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
            if isinstance(column.type, (_SealedStr, SealedDate)):
                found.append((table.name, column.name))
    return found


def seal_existing(session: Session, key: bytes) -> int:
    """Seal every plain identity cell of the store under ``key``; the number of cells sealed.

    Reads and writes the raw values (no column types), one statement per cell kind, inside
    the caller's unit of work, so a failure leaves the store as it was.
    """
    from pfdesk.store.models import Base

    done = 0
    for table, column in sealed_columns(Base.metadata):
        rows = session.execute(text(
            f'SELECT rowid, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL '
            f"AND \"{column}\" != '' AND substr(\"{column}\", 1, {len(PREFIX)}) != :p"
        ), {"p": PREFIX}).all()
        if rows:
            session.execute(
                text(f'UPDATE "{table}" SET "{column}" = :v WHERE rowid = :r'),
                [{"v": seal_text(str(v), key), "r": r} for r, v in rows],
            )
            done += len(rows)
    return done


def plain_cells(session: Session) -> int:
    """How many identity cells are still unsealed (0 once the vault is complete)."""
    from pfdesk.store.models import Base

    n = 0
    for table, column in sealed_columns(Base.metadata):
        n += session.execute(text(
            f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL '
            f"AND \"{column}\" != '' AND substr(\"{column}\", 1, {len(PREFIX)}) != :p"
        ), {"p": PREFIX}).scalar_one()
    return n


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
            plain = open_text(cell, st.key) if is_sealed(cell) else (cell or "")
            known = (cell, plain)
            cache.cells[case_id] = known
        if all(t in known[1] for t in terms):
            found.append(case_id)
    for gone in set(cache.cells) - seen:
        del cache.cells[gone]
    return found
