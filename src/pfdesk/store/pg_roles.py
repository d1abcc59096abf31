"""Database roles on a server store: the server itself keeps identities from a 閲覧者.

On SQLite the identity fields of 個人情報 II are sealed under a key only entitled users
hold (:mod:`pfdesk.store.vault`). On a PostgreSQL server the same fields are kept from
a 閲覧者 by the server's own rights:

- ``pfdesk_staff`` (職員・管理者) may read and write every table, but only add to the
  audit log (as ``pfdesk_viewer``): neither changes or deletes its entries.
- ``pfdesk_viewer`` (閲覧者) may not read any table that holds identity fields. It reads
  those tables through views in the schema ``pfdesk_limited`` instead, in which every
  identity field (the columns the vault seals, and the case texts of closed meetings)
  is empty, and in which the files of closed meetings' case items are missing. Its
  ``search_path`` puts that schema first, so pfdesk's queries read the views unchanged.
  It reads the other tables, and writes only what signing in, the audit trail, its own
  drafts, its settings and printing numbered documents need.

Two ways put a session under ``pfdesk_viewer``:

- a login made for a PC with :func:`add_login` (``pfdesk server add-login NAME --role
  viewer``) is a member of ``pfdesk_viewer`` only: whatever program uses it, the server
  refuses the identity tables;
- on a PC whose login may read everything, a 閲覧者 who signs in to pfdesk gets
  ``SET ROLE pfdesk_viewer`` on every connection (:func:`restrict`).

:func:`install` (``pfdesk server roles``) creates the roles, the schema and the views and
grants the rights; schema upgrades drop the views first and build them again after, so
a new column is never missing from them.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import Connection

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _

log = logging.getLogger(__name__)

VIEWER = "pfdesk_viewer"
STAFF = "pfdesk_staff"
LIMITED = "pfdesk_limited"
#: Tables a 閲覧者 writes: signing in (user_account, audit_event), the audit trail and its
#: seal, its own settings, and the number of a printed document (document_number,
#: serial_counter). Drafts are written through their view (a 閲覧者's own only).
VIEWER_WRITES = ("audit_event", "audit_seal", "user_account", "setting", "document_number",
                 "serial_counter")
_ATTR = "pfdesk_db_role"
_LOGIN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _blank(column: str) -> str:
    """An identity field as a 閲覧者 reads it: empty, keeping only whether it was NULL."""
    c = _quote(column)
    return f"CASE WHEN {c} IS NULL OR {c} = '' THEN {c} ELSE '' END"


def view_definitions(metadata) -> dict[str, str]:
    """The SELECT behind each limited view, by table name (public.* tables only)."""
    from pfdesk.store.vault import CASE_CONTENT, SealedDate, SealedWhenHeld, sealed_columns

    hidden: dict[str, dict[str, str]] = {}
    for table, column in sealed_columns(metadata):
        kind = metadata.tables[table].c[column].type
        if isinstance(kind, SealedWhenHeld):
            continue  # drafts: filtered by author below
        expr = "NULL::varchar" if isinstance(kind, SealedDate) else _blank(column)
        hidden.setdefault(table, {})[column] = expr
    for table, (texts, where) in CASE_CONTENT.items():
        for column in texts:
            hidden.setdefault(table, {})[column] = (
                f"CASE WHEN {where} THEN {_blank(column)} ELSE {_quote(column)} END")
    views = {}
    for name, blanked in hidden.items():
        parts = [f"{blanked[c.name]} AS {_quote(c.name)}" if c.name in blanked else _quote(c.name)
                 for c in metadata.tables[name].columns]
        views[name] = f"SELECT {', '.join(parts)} FROM public.{_quote(name)}"
    views["draft"] = (
        "SELECT * FROM public.draft WHERE user_name IN "
        "(SELECT login_name FROM public.user_account WHERE role = 'viewer') "
        "WITH CASCADED CHECK OPTION")
    closed_files = (
        "SELECT stored_name FROM public.material WHERE stored_name != '' AND "
        + CASE_CONTENT["material"][1])
    views["attachment_blob"] = (
        f"SELECT * FROM public.attachment_blob WHERE stored_name NOT IN ({closed_files})")
    # The search view of migration 0003 reads the search text: here it reads nothing.
    views["case_search"] = (
        "SELECT id AS rowid, ''::varchar AS case_search FROM public.consultation_case")
    return views


def installed(conn: Connection) -> bool:
    """Whether the limited schema exists on this database."""
    return bool(conn.execute(text(
        "SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": LIMITED}).scalar())


def drop_views(conn: Connection) -> bool:
    """Drop the limited views (before a schema upgrade); whether there were any."""
    if not installed(conn):
        return False
    conn.exec_driver_sql(f"DROP SCHEMA {LIMITED} CASCADE")
    return True


def _role_exists(conn: Connection, role: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                             {"r": role}).scalar())


def _create_role(conn: Connection, role: str) -> None:
    if not _role_exists(conn, role):
        conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")


def install(conn: Connection) -> list[str]:
    """Create (or bring up to date) the roles, the limited views and the rights.

    Run by the owner of pfdesk's tables; creating the roles also needs CREATEROLE the
    first time. Inside the caller's transaction: all of it or none. Returns the limited
    tables.
    """
    from pfdesk.store.models import Base

    me = conn.execute(text("SELECT current_user")).scalar()
    try:
        _create_role(conn, VIEWER)
        _create_role(conn, STAFF)
    except Exception as e:  # noqa: BLE001 - the server's refusal, said plainly
        raise KnownError(
            _("データベースに pfdesk 用の役割（pfdesk_viewer、pfdesk_staff）を作れませんでした。"),
            hint=_("役割を作る権限（CREATEROLE）のあるデータベース利用者で実行するか、"
                   "サーバーの管理者に CREATE ROLE pfdesk_viewer NOLOGIN; "
                   "CREATE ROLE pfdesk_staff NOLOGIN; を実行してもらってください。")) from e
    # The table owner may take either role for a 閲覧者's session (SET ROLE).
    for role in (VIEWER, STAFF):
        conn.exec_driver_sql(f"GRANT {role} TO {_quote(str(me))}")
    drop_views(conn)
    conn.exec_driver_sql("SET LOCAL search_path = public")  # views bind to public.*
    conn.exec_driver_sql(f"CREATE SCHEMA {LIMITED}")
    views = view_definitions(Base.metadata)
    for name, select in views.items():
        conn.exec_driver_sql(f"CREATE VIEW {LIMITED}.{_quote(name)} AS {select}")
    tables = list(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    public_views = list(conn.execute(text(
        "SELECT viewname FROM pg_views WHERE schemaname = 'public'")).scalars())
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public, {LIMITED} TO {VIEWER}, {STAFF}")
    for name in [*tables, *public_views]:
        q = f"public.{_quote(name)}"
        conn.exec_driver_sql(f"REVOKE ALL ON {q} FROM {VIEWER}")
        conn.exec_driver_sql(f"GRANT ALL ON {q} TO {STAFF}")
        if name not in views:
            conn.exec_driver_sql(f"GRANT SELECT ON {q} TO {VIEWER}")
    for name in VIEWER_WRITES:
        if name in tables:
            conn.exec_driver_sql(f"GRANT INSERT, UPDATE ON public.{_quote(name)} TO {VIEWER}")
    # The audit log is only ever appended to: no pfdesk login may change or remove entries
    # (only the owner of the tables, who should not be any PC's login).
    conn.exec_driver_sql(f"REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_event "
                         f"FROM {VIEWER}, {STAFF}")
    # The seal of a new entry is written just after it (services.audit_seal): that column
    # only; a cleared seal shows as 封印のない記録 in verify.
    conn.exec_driver_sql(f"GRANT UPDATE (mac) ON public.audit_event TO {VIEWER}, {STAFF}")
    for name in views:
        conn.exec_driver_sql(f"GRANT SELECT ON {LIMITED}.{_quote(name)} TO {VIEWER}")
    conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {LIMITED}.draft TO {VIEWER}")
    conn.exec_driver_sql(
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {VIEWER}, {STAFF}")
    log.info("database roles installed: %d limited views", len(views))
    return sorted(views)


def add_login(conn: Connection, login: str, password: str, role: str) -> None:
    """A new server login for one PC, member of ``role`` (:data:`VIEWER` or :data:`STAFF`).

    A 閲覧者's login reads the limited views by default (its ``search_path``).
    """
    if not _LOGIN.match(login):
        raise KnownError(
            _("データベースの利用者名「{name}」は使えません。").format(name=login),
            hint=_("半角の英小文字・数字・_ で、英字から始めてください（例: pfdesk_pc2）。"))
    if role not in (VIEWER, STAFF):
        raise ValueError(role)
    if not installed(conn):
        raise KnownError(
            _("サーバーに pfdesk の役割がまだ設定されていません。"),
            hint=_("先に pfdesk server roles を実行してください。"))
    if _role_exists(conn, login):
        raise KnownError(_("データベースの利用者「{name}」はすでにあります。").format(name=login),
                         hint=_("別の名前を指定してください。"))
    literal = conn.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar()
    conn.exec_driver_sql(f"CREATE ROLE {login} LOGIN PASSWORD {literal} IN ROLE {role}")
    if role == VIEWER:
        conn.exec_driver_sql(f"ALTER ROLE {login} SET search_path = {LIMITED}, public")
    db = conn.execute(text("SELECT current_database()")).scalar()
    conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {_quote(str(db))} TO {login}")


def reads_identities(conn: Connection) -> bool:
    """Whether this connection's role may read the identity fields."""
    return bool(conn.execute(text(
        "SELECT has_table_privilege('public.consultation_case', 'SELECT')")).scalar())


def _apply(dbapi_connection, record, wanted: str) -> None:
    """The connection under ``wanted`` (a role, or "" for the login's own), if not yet."""
    if record.info.get(_ATTR, "") == wanted:
        return
    cur = dbapi_connection.cursor()
    if wanted == VIEWER:
        cur.execute(f"SET ROLE {VIEWER}")
        cur.execute(f"SET search_path = {LIMITED}, public")
    else:
        cur.execute("RESET ROLE")
        cur.execute("RESET search_path")
    cur.close()
    dbapi_connection.commit()
    record.info[_ATTR] = wanted


def restrict(engine: Engine, limited: bool) -> bool:
    """Every connection of ``engine`` from now on as a 閲覧者 (``limited``) or as its login.

    Does nothing (False) where the roles are not installed on the server.
    """
    with engine.connect() as conn:
        if not installed(conn):
            if limited:
                log.warning("a viewer signed in on a server without pfdesk's database roles")
            return False
    wanted = VIEWER if limited else ""
    if getattr(engine, _ATTR, None) is None:
        def checkout(dbapi_connection, record, _proxy) -> None:
            _apply(dbapi_connection, record, getattr(engine, _ATTR))

        event.listen(engine.pool, "checkout", checkout)
    setattr(engine, _ATTR, wanted)
    return True
