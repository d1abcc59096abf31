"""Forward-secure sealing of the audit log, and anchors kept on paper.

Every entry gets an HMAC of its hash under a sealing key that moves forward one
step per entry (``K[n+1] = SHA-256(label || K[n])``) and is overwritten in the same
transaction: whoever holds the PC holds only the key for the *next* entry and
cannot recompute the seal of any entry already written (the scheme of Schneier
and Kelsey, as systemd's Forward Secure Sealing uses it). The first key, which
proves the whole log, is printed on the first 監査ログ確認票 and then erased from
the PC; each later sheet prints the chain head as a short code (an anchor) to keep
in the 決裁 file. ``audit verify`` takes the key and the anchors typed back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.store.models import AuditEvent, AuditSeal, utcnow

_EVOLVE = b"pfdesk-audit-seal-evolve-v1"
SEAL_ID = 1


def evolve(key: bytes) -> bytes:
    """The next entry's key; the old one cannot be had back from it."""
    return hashlib.sha256(_EVOLVE + key).digest()


def mac_of(key: bytes, entry_hash: str) -> str:
    """The seal of an entry with hash ``entry_hash`` under ``key``."""
    return hmac.new(key, entry_hash.encode("ascii"), hashlib.sha256).hexdigest()


def seal(session: Session, ev: AuditEvent) -> None:
    """Seal ``ev`` (already flushed, hash set) and move the key on, in the caller's transaction."""
    state = session.get(AuditSeal, SEAL_ID)
    if state is None:
        first = secrets.token_bytes(32)
        state = AuditSeal(id=SEAL_ID, started_id=ev.id, next_id=ev.id, key_hex=first.hex(),
                          verify_key_pending=first.hex(), sheet_id=0, started_at=utcnow())
        session.add(state)
    key = bytes.fromhex(state.key_hex)
    ev.mac = mac_of(key, ev.hash)
    state.key_hex = evolve(key).hex()
    state.next_id = ev.id + 1


# --- the key and anchors as people write them -------------------------------------------------

def format_key(key_hex: str) -> str:
    """The 検証キー as printed: 64 hex digits in groups of four."""
    text = key_hex.upper()
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def anchor_code(entry_hash: str) -> str:
    """The short code printed for an entry: the first 64 bits of its hash."""
    return format_key(entry_hash[:16])


def _hex(text: str) -> str:
    import unicodedata

    return re.sub(r"[^0-9a-f]", "", unicodedata.normalize("NFKC", text).lower())


def parse_key(text: str) -> bytes:
    """A typed 検証キー (spaces, hyphens, full width allowed)."""
    digits = _hex(text)
    if len(digits) != 64:
        raise ValidationError(
            _("検証キーは 16 進数 64 桁です（入力は {n} 桁）。").format(n=len(digits)),
            field="key", hint=_("初回の監査ログ確認票に印刷されたキーをそのまま入力してください。"))
    return bytes.fromhex(digits)


@dataclass(frozen=True)
class Anchor:
    """An entry number and the code printed for it on a 監査ログ確認票."""

    event_id: int
    code: str  # 16 hex digits

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """``1234:ABCD-EF01-2345-6789`` (番号:コード) as typed from a sheet."""
        import unicodedata

        folded = unicodedata.normalize("NFKC", text)
        number, sep, code = folded.partition(":")
        digits = _hex(code)
        if not sep or not number.strip().isdigit() or len(digits) != 16:
            raise ValidationError(
                _("確認票の控え「{text}」を読めません。").format(text=text), field="anchor",
                hint=_("「記録番号:確認コード」の形（例 1234:ABCD-EF01-2345-6789）で入力してください。"))
        return cls(int(number.strip()), digits)


@dataclass(frozen=True)
class SealBreak:
    """The first place where the seal, the key state or an anchor does not hold."""

    event_id: int
    reason: str  # mac, seal_tail, seal_state, anchor, anchor_missing, emptied, unsealed
    detail: str = ""


def check(session: Session, *, key: bytes | None, anchors: list[Anchor]) -> SealBreak | None:
    """Check what can be checked: anchors always; the seals when the first key is given.

    Without the key, entries deleted at the end are still found from the key state.
    """
    for a in sorted(anchors, key=lambda a: a.event_id):
        h = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == a.event_id))
        if h is None:
            return SealBreak(a.event_id, "anchor_missing", format_key(a.code))
        if not h.startswith(a.code):
            return SealBreak(a.event_id, "anchor", format_key(a.code))
    state = session.get(AuditSeal, SEAL_ID)
    last = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    if state is None:
        sealed = session.scalar(select(AuditEvent.id).where(AuditEvent.mac != "").limit(1))
        if sealed is not None:
            return SealBreak(sealed, "seal_state")
        return None
    if last is None:
        return SealBreak(state.started_id, "emptied", str(state.next_id - 1))
    if last < state.next_id - 1:
        return SealBreak(last + 1, "seal_tail", str(state.next_id - 1))
    if key is None:
        unsealed = session.scalar(select(AuditEvent.id).where(
            AuditEvent.id >= state.started_id, AuditEvent.mac == "").limit(1))
        return SealBreak(unsealed, "unsealed") if unsealed is not None else None
    k = key
    rows = session.execute(select(AuditEvent.id, AuditEvent.hash, AuditEvent.mac)
                           .where(AuditEvent.id >= state.started_id).order_by(AuditEvent.id))
    expected = state.started_id
    for event_id, entry_hash, mac in rows:
        if event_id != expected or not hmac.compare_digest(mac, mac_of(k, entry_hash)):
            return SealBreak(expected if event_id != expected else event_id, "mac")
        k = evolve(k)
        expected += 1
    if k.hex() != state.key_hex or state.next_id != expected:
        return SealBreak(expected, "seal_state")
    return None
