"""Settings: the municipality and its secretariat, and typed access to stored settings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.store.models import Setting

MUNICIPALITY_KEY = "municipality"


def read_setting(session: Session, key: str, default: Any = None) -> Any:
    """A stored setting's value (JSON-decoded), or ``default``."""
    row = session.get(Setting, key)
    return default if row is None else json.loads(row.value_json)


def write_setting(session: Session, key: str, value: Any) -> None:
    """Store ``value`` (JSON-encodable) under ``key`` in the caller's transaction."""
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(Setting(key=key, value_json=text))
    else:
        row.value_json = text


@dataclass
class Municipality:
    """The municipality, its platform and the secretariat that sends documents."""

    prefecture: str = ""
    name: str = ""  # 自治体名 (例: いの町)
    platform_name: str = ""  # プラットフォームの名称
    platform_established: str = ""  # 設置年月 "YYYY-MM"
    secretariat: str = ""  # 事務局 担当課 (例: ほけん福祉課)
    sender: str = ""  # 発信者 (例: みどり川町長　山田　一郎)
    contact_person: str = ""  # 担当者
    phone: str = ""
    fax: str = ""
    email: str = ""
    postal_code: str = ""
    address: str = ""
    doc_number_prefix: str = ""  # 文書番号の記号 (例: い保福)

    @property
    def is_complete(self) -> bool:
        """Whether the minimum for the app to work is filled in."""
        return bool(self.name.strip() and self.secretariat.strip())

    @classmethod
    def from_dict(cls, data: dict | None) -> Municipality:
        """Build from stored JSON, ignoring keys this version does not know."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


def load_municipality(session: Session) -> Municipality:
    """The municipality settings inside an open unit of work."""
    return Municipality.from_dict(read_setting(session, MUNICIPALITY_KEY, {}))


@service(Permission.SETTINGS_READ)
def get_municipality(ctx: ServiceContext) -> Municipality:
    """The municipality settings (empty on a new store)."""
    with ctx.session() as s:
        return load_municipality(s)


MUNICIPALITY_LABELS = (
    ("prefecture", _("都道府県")), ("name", _("自治体名")),
    ("platform_name", _("プラットフォームの名称")), ("platform_established", _("設置年月")),
    ("secretariat", _("事務局の担当課")), ("sender", _("文書の発信者")),
    ("contact_person", _("担当者")), ("phone", _("電話")), ("fax", _("FAX")),
    ("email", _("メール")), ("postal_code", _("郵便番号")), ("address", _("所在地")),
    ("doc_number_prefix", _("文書番号の記号")),
)


@service(Permission.SETTINGS_WRITE)
def save_municipality(ctx: ServiceContext, m: Municipality, *,
                      seen: Municipality | None = None) -> Municipality:
    """Validate and store the municipality settings.

    ``seen`` is the stored settings the form opened with: when another PC saved different
    ones since, nothing is written and an EditConflict says who and what changed (its
    ``current`` holds the settings as stored now, for the form's next save on top).
    """
    from pfdesk.services.edit_versions import check_shown

    if not m.name.strip():
        raise ValidationError(_("自治体名を入力してください。"), field="name")
    if not m.secretariat.strip():
        raise ValidationError(_("事務局の担当課を入力してください。"), field="secretariat")
    # Tidied as the directory tidies them (０８８７（２２）１２３４ → 0887-22-1234).
    from dataclasses import replace

    from pfdesk.core.normalize import normalize_phone

    for which in ("phone", "fax"):
        try:
            m = replace(m, **{which: normalize_phone(getattr(m, which))})
        except ValidationError as e:
            raise ValidationError(e.message, field=which, hint=e.hint) from e
    with ctx.session() as s:
        check_shown(s, MUNICIPALITY_KEY, seen, load_municipality(s),
                    labels=MUNICIPALITY_LABELS, what=_("設定（自治体・事務局）"),
                    action="settings.municipality")
        write_setting(s, MUNICIPALITY_KEY, asdict(m))
        audit.record(s, ctx.actor, "settings.municipality", "setting", [MUNICIPALITY_KEY])
        s.commit()
    return m


@service(Permission.SETTINGS_READ)
def is_set_up(ctx: ServiceContext) -> bool:
    """Whether the first-start set-up has been done."""
    return get_municipality(ctx).is_complete
