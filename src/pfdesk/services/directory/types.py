"""Plain records the directory services take and return (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class OrganizationInput:
    """What the organization form edits: every field as typed (normalized on save)."""

    name: str
    name_kana: str = ""
    field: str = "other"  # codes.FIELDS
    kind: str = "other"  # codes.ORG_KINDS
    postal_code: str = ""
    address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    department: str = ""  # 窓口
    networks: str = ""  # 所属ネットワーク, "、"-separated
    note: str = ""


@dataclass(frozen=True)
class OrganizationRow:
    """One line of the organization list."""

    id: int
    name: str
    name_kana: str
    field: str
    kind: str
    department: str
    phone: str
    postal_code: str
    address: str
    active: bool
    abolished_on: date | None
    people_in_post: int


@dataclass(frozen=True)
class PostRow:
    """A post (所属・部署・職名・在任期間) with the names of its person and organization."""

    id: int
    person_id: int
    person_name: str
    person_kana: str
    organization_id: int
    organization_name: str
    department: str
    title: str
    start_on: date | None
    end_on: date | None
    phone: str
    email: str
    is_contact: bool
    confirmed_fy: int | None
    note: str
    current: bool
    version: int = 1  # counted up by every saved correction (services.edit_versions)


@dataclass(frozen=True)
class MembershipRow:
    """A seat on a 会議体, read for the person page and the printed 名簿."""

    id: int
    body_id: int
    body_name: str
    person_id: int
    role: str  # codes.BODY_ROLES
    organization_name: str
    start_on: date | None
    end_on: date | None
    current: bool


@dataclass(frozen=True)
class OrganizationDetail:
    """Everything the organization form shows, with its posts past and present."""

    id: int
    data: OrganizationInput
    active: bool
    abolished_on: date | None
    merged_into_id: int | None
    posts: list[PostRow] = field(default_factory=list)
    version: int = 1  # counted up by every saved edit (services.edit_versions)


@dataclass(frozen=True)
class PersonInput:
    """What the person form edits."""

    family_name: str
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    phone: str = ""
    email: str = ""
    note: str = ""


@dataclass(frozen=True)
class PersonRow:
    """One line of the people list: the person and their main current post."""

    id: int
    full_name: str
    full_kana: str
    organization_id: int | None
    organization_name: str
    department: str
    title: str
    phone: str
    email: str
    in_post: bool
    bodies: str  # 会議体 names, "、"-separated


@dataclass(frozen=True)
class PersonDetail:
    """Everything the person form shows: fields, posts (history) and memberships."""

    id: int
    data: PersonInput
    merged_into_id: int | None
    posts: list[PostRow] = field(default_factory=list)
    memberships: list[MembershipRow] = field(default_factory=list)
    version: int = 1  # counted up by every saved edit (services.edit_versions)


@dataclass(frozen=True)
class PostInput:
    """What the post form edits."""

    person_id: int
    organization_id: int
    department: str = ""
    title: str = ""
    start_on: date | None = None
    end_on: date | None = None
    phone: str = ""
    email: str = ""
    is_contact: bool = True
    note: str = ""


@dataclass(frozen=True)
class BodyChoice:
    """A 会議体 to filter by or print a 名簿 for."""

    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class OrganizationChoice:
    """An organization to pick in a form (name and reading, for completion)."""

    id: int
    name: str
    name_kana: str
    active: bool
