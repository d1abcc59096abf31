"""The server itself keeps identities from a 閲覧者 (store.pg_roles, ``pfdesk server``).

After ``pfdesk server roles``, a PC login made with ``pfdesk server add-login --role
viewer`` is refused the tables that hold names, addresses and record texts; through it
pfdesk still counts the same statistics and shows meetings, with identity fields empty.
A 閲覧者 who signs in on a PC whose login may read everything is put under the same
database role, so the server refuses that session too.
"""

from __future__ import annotations

import itertools
import json

import psycopg
import pytest
from sqlalchemy import text

from pfdesk.__main__ import main
from pfdesk.core.errors import StoreError
from pfdesk.paths import DataPaths
from pfdesk.services import accounts
from pfdesk.services.context import ServiceContext
from pfdesk.store.pg import open_server_store

VIEWER_PASSWORD = "viewer-pc-password-1"
_logins = itertools.count(1)


@pytest.fixture
def demo_db(pg_cluster, pg_demo_template) -> str:
    from tests.postgres.conftest import _copy

    return _copy(pg_cluster, pg_demo_template)


def _cli(capsys, url, *args, user="demo", data=None) -> tuple[int, str]:
    code = main(["--data-dir", str(data), "--database-url",
                 url.render_as_string(hide_password=False), "--user", user, *args])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def with_roles(pg_cluster, demo_db, tmp_path, capsys, monkeypatch):
    """The demo town on the server, its roles installed and a 閲覧者's PC login made."""
    monkeypatch.setenv("PFDESK_PASSWORD", "demo")
    url = pg_cluster.url(demo_db)
    code, out = _cli(capsys, url, "server", "roles", data=tmp_path / "admin-pc")
    assert code == 0, out
    assert "consultation_case" in out
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", VIEWER_PASSWORD)
    login = f"pc_viewer_{next(_logins)}"  # logins belong to the cluster, not the database
    code, out = _cli(capsys, url, "server", "add-login", login, "--role", "viewer",
                     data=tmp_path / "admin-pc")
    assert code == 0, out
    assert login in out
    return Roles(demo_db, login)


class Roles:
    """The database with roles installed, and the 閲覧者's PC login made for it."""

    def __init__(self, db: str, login: str) -> None:
        self.db, self.login = db, login


def _connect(cluster, roles: Roles, *, owner: bool = False):
    if owner:
        return psycopg.connect(host=str(cluster.socket_dir), dbname=roles.db, user="pfdesk",
                               autocommit=True)
    return psycopg.connect(host=str(cluster.socket_dir), dbname=roles.db, user=roles.login,
                           password=VIEWER_PASSWORD, autocommit=True)


def test_a_viewers_login_is_refused_the_identity_tables(pg_cluster, with_roles):
    with _connect(pg_cluster, with_roles) as conn:
        for table in ("consultation_case", "contact", "client", "assessment", "draft",
                      "attachment_blob", "case_search"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM public.{table} LIMIT 1")
        # What pfdesk reads through the search path: the same rows, no identity.
        names = conn.execute(
            "SELECT family_name, given_name, address, phone, chief_complaint, birth_date, "
            "search_text FROM consultation_case").fetchall()
        assert len(names) > 50
        assert {v for row in names for v in row} <= {"", None}
        bodies = conn.execute("SELECT body FROM contact").fetchall()
        assert bodies and {b for (b,) in bodies} <= {"", None}
        # Figures need no identity: the coded columns read as they are.
        sexes = conn.execute("SELECT DISTINCT sex FROM consultation_case").fetchall()
        assert len(sexes) >= 2
        # Writing identity is refused too.
        with pytest.raises(psycopg.errors.Error):
            conn.execute("UPDATE consultation_case SET family_name = 'x'")


def test_closed_meetings_case_texts_are_empty_for_the_viewer(pg_cluster, with_roles):
    closed = ("SELECT a.summary FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id "
              "JOIN body b ON b.id = m.body_id WHERE a.case_id IS NOT NULL "
              "AND b.kind IN ('support_meeting', 'case_conference') AND a.summary != ''")
    open_items = ("SELECT count(*) FROM agenda_item a WHERE a.case_id IS NULL "
                  "AND a.summary != ''")
    with _connect(pg_cluster, with_roles, owner=True) as owner:
        typed = owner.execute(closed).fetchall()
        shared = owner.execute(open_items).fetchone()[0]
    with _connect(pg_cluster, with_roles) as conn:
        assert typed, "the demo town has minutes of closed meetings' case items"
        assert conn.execute(closed).fetchall() == []  # every such summary reads empty
        assert conn.execute(open_items).fetchone()[0] == shared  # the rest of the minutes as typed


def test_pfdesk_on_a_viewers_login_counts_the_same(pg_cluster, with_roles, tmp_path, capsys,
                                                    monkeypatch):
    viewer_url = pg_cluster.url(with_roles.db, user=with_roles.login, password=VIEWER_PASSWORD)
    owner_url = pg_cluster.url(with_roles.db)
    monkeypatch.setenv("PFDESK_PASSWORD", "demo")
    # The same 閲覧者 on a PC whose login reads everything (small counts are hidden from
    # a 閲覧者 either way): the server's refusal changes no figure.
    code, full = _cli(capsys, owner_url, "stats", "--fy", "2025", "--json",
                      user="demo-viewer", data=tmp_path / "admin-pc")
    assert code == 0, full
    code, limited = _cli(capsys, viewer_url, "stats", "--fy", "2025", "--json",
                         user="demo-viewer", data=tmp_path / "viewer-pc")
    assert code == 0, limited
    assert json.loads(limited) == json.loads(full)
    # The server's audit chain stays intact with the 閲覧者's sign-ins in it.
    code, out = _cli(capsys, owner_url, "audit", "verify", data=tmp_path / "admin-pc")
    assert code == 0 and "改ざんは見つかりませんでした" in out


def test_a_viewer_signed_in_on_a_full_login_is_refused_by_the_server(pg_cluster, with_roles,
                                                                      tmp_path):
    store = open_server_store(DataPaths(tmp_path / "pc"), pg_cluster.url(with_roles.db))
    try:
        actor = accounts.login(store, "demo-viewer", "demo")
        ctx = ServiceContext(store=store, actor=actor)
        with ctx.session() as s:
            with pytest.raises(StoreError, match="権限"):
                s.execute(text("SELECT family_name FROM public.consultation_case")).all()
        with ctx.session() as s:
            names = s.execute(text("SELECT family_name FROM consultation_case")).scalars().all()
            assert names and set(names) <= {""}
        from pfdesk.services.meetings.meetings import list_meetings

        assert list_meetings(ctx)  # meetings still open for a 閲覧者
        # The next user to sign in (an administrator) reads everything again.
        admin = accounts.login(store, "demo", "demo")
        with ServiceContext(store=store, actor=admin).session() as s:
            names = s.execute(text("SELECT family_name FROM consultation_case")).scalars().all()
            assert any(names)
    finally:
        store.close()


def test_staff_on_a_viewers_pc_is_told_why_names_are_empty(pg_cluster, with_roles, tmp_path):
    url = pg_cluster.url(with_roles.db, user=with_roles.login, password=VIEWER_PASSWORD)
    store = open_server_store(DataPaths(tmp_path / "pc"), url)
    try:
        accounts.login(store, "demo-staff", "demo")
        assert any("閲覧者用" in n for n in store.notices)
    finally:
        store.close()


def test_a_schema_upgrade_rebuilds_the_viewers_tables(pg_cluster, with_roles, tmp_path):
    from alembic import command

    from pfdesk.store.migrate import alembic_config, script_heads
    from pfdesk.store.pg import make_engine

    engine = make_engine(pg_cluster.url(with_roles.db))
    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            conn.exec_driver_sql("DROP SCHEMA pfdesk_limited CASCADE")
            command.downgrade(cfg, "-1")
            conn.exec_driver_sql("CREATE SCHEMA pfdesk_limited")  # as an older pfdesk left it
            conn.exec_driver_sql("CREATE VIEW pfdesk_limited.consultation_case AS "
                                 "SELECT id FROM public.consultation_case")
    finally:
        engine.dispose()
    store = open_server_store(DataPaths(tmp_path / "pc"), pg_cluster.url(with_roles.db))
    store.close()
    with _connect(pg_cluster, with_roles) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert {r[0] for r in row} == set(script_heads())
        # The view has every column of the upgraded table again (the old one had only id).
        columns = conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
            "'pfdesk_limited' AND table_name = 'consultation_case'").fetchone()[0]
        assert columns > 20
        assert conn.execute("SELECT count(*) FROM consultation_case").fetchone()[0] > 50


def test_a_bad_login_name_is_refused_plainly(pg_cluster, with_roles, tmp_path, capsys,
                                             monkeypatch):
    monkeypatch.setenv("PFDESK_PASSWORD", "demo")
    code, out = _cli(capsys, pg_cluster.url(with_roles.db), "server", "add-login", "PC 2",
                     "--role", "viewer", data=tmp_path / "admin-pc")
    assert code != 0 and "使えません" in out
    monkeypatch.setenv("PFDESK_PASSWORD", "demo")
    code, out = _cli(capsys, pg_cluster.url(with_roles.db), "server", "roles",
                     user="demo-viewer", data=tmp_path / "admin-pc")
    assert code != 0


def test_every_page_opens_for_a_viewer_under_the_limited_role(qtbot, pg_cluster, with_roles,
                                                               tmp_path, capsys):
    from pfdesk.ui.main_window import MainWindow
    from tests.ui.test_app_runtime import smoke_check_passes

    store = open_server_store(DataPaths(tmp_path / "pc"), pg_cluster.url(with_roles.db),
                              is_demo=True)
    try:
        actor = accounts.login(store, "demo-viewer", "demo")
        window = MainWindow(ctx=ServiceContext(store=store, actor=actor))
        qtbot.addWidget(window)

        assert smoke_check_passes(window, capsys)
        from pfdesk.ui.tasks import wait_for_all

        wait_for_all()
    finally:
        store.close()


def test_the_administrator_sets_the_roles_from_settings(qtbot, pg_cluster, demo_db, tmp_path):
    from pfdesk.ui.settings.database import DatabaseBox

    store = open_server_store(DataPaths(tmp_path / "pc"), pg_cluster.url(demo_db))
    try:
        ctx = ServiceContext(store=store, actor=accounts.login(store, "demo", "demo"))
        box = DatabaseBox(ctx=ctx)
        qtbot.addWidget(box)
        assert not box.roles_button.isHidden() and box.roles_button.isEnabled()
        box.roles_button.click()
        assert "閲覧者には" in box.message.text()
        viewer = ServiceContext(store=store, actor=accounts.login(store, "demo-viewer", "demo"))
        with viewer.session() as s:
            with pytest.raises(StoreError, match="権限"):
                s.execute(text("SELECT address FROM public.consultation_case")).all()
        shown = DatabaseBox(ctx=viewer)
        qtbot.addWidget(shown)
        assert not shown.roles_button.isEnabled()
    finally:
        store.close()


def test_newest_audit_entries_deleted_on_the_server_are_found_by_the_pc_that_wrote_them(
        pg_cluster, demo_db, tmp_path):
    from pfdesk.services.audit_log import verify_audit

    paths = DataPaths(tmp_path / "pc")
    store = open_server_store(paths, pg_cluster.url(demo_db))
    try:
        actor = accounts.login(store, "demo", "demo")  # this PC writes the newest entries
        ctx = ServiceContext(store=store, actor=actor)
        assert list(paths.root.glob("audit-head-*.json"))
        ok = verify_audit(ctx)
        assert ok.ok and "このパソコンが最後に書いた記録まで" in ok.message()
        with psycopg.connect(host=str(pg_cluster.socket_dir), dbname=demo_db, user="pfdesk",
                             autocommit=True) as conn:
            conn.execute("DELETE FROM audit_event WHERE id > (SELECT max(id) - 2 "
                         "FROM audit_event)")
        found = verify_audit(ctx)
        assert not found.ok
        assert "削除されています" in found.message()
    finally:
        store.close()


def test_pfdesk_logins_cannot_delete_audit_entries(pg_cluster, with_roles, capsys,
                                                   monkeypatch, tmp_path):
    monkeypatch.setenv("PFDESK_PASSWORD", "demo")
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "staff-pc-password-1")
    staff = f"pc_staff_{next(_logins)}"
    code, out = _cli(capsys, pg_cluster.url(with_roles.db), "server", "add-login", staff,
                     "--role", "staff", data=tmp_path / "admin-pc")
    assert code == 0, out
    for user, password in ((staff, "staff-pc-password-1"), (with_roles.login, VIEWER_PASSWORD)):
        with psycopg.connect(host=str(pg_cluster.socket_dir), dbname=with_roles.db, user=user,
                             password=password, autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM audit_event").fetchone()[0] > 0
            for statement in ("DELETE FROM audit_event", "UPDATE audit_event SET action = 'x'",
                              "TRUNCATE audit_event"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
    # A staff PC's login still reads names: it is not a 閲覧者.
    with psycopg.connect(host=str(pg_cluster.socket_dir), dbname=with_roles.db, user=staff,
                         password="staff-pc-password-1", autocommit=True) as conn:
        assert any(n for (n,) in conn.execute("SELECT family_name FROM consultation_case"))
