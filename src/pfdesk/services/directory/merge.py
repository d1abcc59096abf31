"""統合: two records of the same person or organization become one, history kept.

Every reference to the record that goes (posts, 会議体 seats, attendance, referrals,
consents, cases' 相談経路, action items …) moves to the record that stays; blank fields
of the kept record are filled from the other; the other stays in the store, hidden,
with ``merged_into_id`` pointing at the kept one.
"""

from __future__ import annotations

from dataclasses import dataclass

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import (
    live_org,
    live_person,
    org_search_text,
    person_search_text,
)
from pfdesk.services.directory.references import reassign_references

_ORG_FIELDS = ("name_kana", "postal_code", "address", "phone", "fax", "email", "department",
               "networks")
_PERSON_FIELDS = ("given_name", "family_kana", "given_kana", "phone", "email")


@dataclass(frozen=True)
class MergeResult:
    """What a merge moved: rows per table, and the fields filled in on the kept record."""

    kept_id: int
    merged_id: int
    moved: dict[str, int]
    filled: list[str]


def _fill(kept, other, names) -> list[str]:
    filled = []
    for name in names:
        if not getattr(kept, name) and getattr(other, name):
            setattr(kept, name, getattr(other, name))
            filled.append(name)
    if other.note and other.note not in (kept.note or ""):
        kept.note = "\n".join(x for x in (kept.note, other.note) if x)
        filled.append("note")
    return filled


def _same(a: int, b: int) -> None:
    if a == b:
        raise ValidationError(_("同じ記録どうしは統合できません。"),
                              hint=_("統合する2件の記録を選んでください。"))


@service(Permission.DIRECTORY_WRITE)
def merge_people(ctx: ServiceContext, keep_id: int, merge_id: int) -> MergeResult:
    """Merge person ``merge_id`` into ``keep_id``, moving every reference."""
    _same(keep_id, merge_id)
    with ctx.session() as s:
        kept, other = live_person(s, keep_id), live_person(s, merge_id)
        moved = reassign_references(s, "person", other.id, kept.id)
        filled = _fill(kept, other, _PERSON_FIELDS)
        kept.search_text = person_search_text(kept)
        other.merged_into_id = kept.id
        audit.record(s, ctx.actor, "directory.person.merge", "person", [kept.id, other.id],
                     moved=moved, filled=filled)
        s.commit()
        return MergeResult(kept.id, other.id, moved, filled)


@service(Permission.DIRECTORY_WRITE)
def merge_organizations(ctx: ServiceContext, keep_id: int, merge_id: int) -> MergeResult:
    """Merge organization ``merge_id`` into ``keep_id``, moving every reference."""
    _same(keep_id, merge_id)
    with ctx.session() as s:
        kept, other = live_org(s, keep_id), live_org(s, merge_id)
        moved = reassign_references(s, "organization", other.id, kept.id)
        filled = _fill(kept, other, _ORG_FIELDS)
        if other.networks and kept.networks and other.networks not in kept.networks:
            kept.networks = "、".join([kept.networks, other.networks])
        kept.search_text = org_search_text(kept)
        other.merged_into_id = kept.id
        other.active = False
        audit.record(s, ctx.actor, "directory.org.merge", "organization",
                     [kept.id, other.id], moved=moved, filled=filled)
        s.commit()
        return MergeResult(kept.id, other.id, moved, filled)
