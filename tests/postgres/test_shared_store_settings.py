"""設定 → 共有データベース: the administrator checks and saves a server; the start uses it.

The password goes to the keyring (an in-memory one here), the start opens the server
with it, and a server asking for a password that is not saved asks the user once.
"""

from __future__ import annotations

import pytest

from pfdesk.core.errors import PermissionDenied
from pfdesk.paths import DataPaths
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.shared_store import check_server, save_shared_store
from pfdesk.store import pg_secret
from pfdesk.store.pg import NeedsPassword
from pfdesk.store.pg_login import open_configured
from pfdesk.store.url import ServerSettings, save_server, saved_server, settings_of
from tests.keyring_memory import memory_keyring, no_keyring  # noqa: F401 - fixtures


@pytest.fixture
def clerk(pg_cluster):
    """A password-protected role owning a new, empty database (as a server admin makes it)."""
    pg_cluster.execute("CREATE ROLE clerk LOGIN PASSWORD '町の合言葉'",
                       "CREATE DATABASE town OWNER clerk")
    pg_cluster.execute("GRANT ALL ON SCHEMA public TO clerk", database="town")
    yield settings_of(pg_cluster.url("town", "clerk"))
    save_server(None)
    pg_cluster.execute("DROP DATABASE town WITH (FORCE)", "DROP ROLE clerk")


@pytest.fixture
def local_ctx(tmp_path):
    from pfdesk.store.engine import open_store

    store = open_store(DataPaths(tmp_path / "local").ensure())
    yield ServiceContext(store=store, actor=Actor.local_admin())
    store.close()


def test_check_then_save_then_the_next_start_uses_the_server(clerk, local_ctx, memory_keyring,  # noqa: F811
                                                             tmp_path):
    assert "空のデータベースです" in check_server(local_ctx, clerk, "町の合言葉").describe()
    assert save_shared_store(local_ctx, clerk, "町の合言葉") == ""
    assert saved_server() == clerk
    store = open_configured(DataPaths(tmp_path / "pc"), saved_server().url())  # the next start
    try:
        assert store.is_server
    finally:
        store.close()
    found = check_server(local_ctx, clerk, "")  # the saved password is used
    assert "そのまま使えます" in found.describe()


def test_without_a_keyring_the_start_asks_once(clerk, local_ctx, no_keyring, tmp_path):  # noqa: F811
    note = save_shared_store(local_ctx, clerk, "町の合言葉")
    assert "パスワードを保存できません" in note
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return "町の合言葉"

    store = open_configured(DataPaths(tmp_path / "pc"), clerk.url(), ask=ask)
    store.close()
    assert len(asked) == 1
    assert "パスワードを保存できません" in asked[0] and "clerk@" in asked[0]
    with pytest.raises(NeedsPassword):  # a batch run cannot be asked
        open_configured(DataPaths(tmp_path / "pc"), clerk.url(), ask=None)


def test_a_wrong_password_is_reported_by_the_check(clerk, local_ctx, memory_keyring):  # noqa: F811
    from pfdesk.core.errors import StoreError

    with pytest.raises(StoreError) as caught:
        check_server(local_ctx, clerk, "違う")
    assert "利用者名かパスワードが違います" in caught.value.message


def test_only_an_administrator_changes_the_server(local_ctx, memory_keyring):  # noqa: F811
    staff = local_ctx.acting_as(Actor(user_name="sato", display_name="佐藤", role="staff"))
    with pytest.raises(PermissionDenied):
        save_shared_store(staff, ServerSettings(host="h", database="d", user="u"), "x")
    assert saved_server() is None


def test_the_settings_section(qtbot, clerk, local_ctx, memory_keyring, tmp_path):  # noqa: F811
    from pfdesk.ui.settings.database import DatabaseBox

    box = DatabaseBox(ctx=local_ctx)
    qtbot.addWidget(box)
    assert "このパソコンのデータファイル" in box.in_use.text()
    assert not box.host.isEnabled()
    box.use_server.setChecked(True)
    box.host.setText(clerk.host)
    box.port.setValue(clerk.port)
    box.database.setText(clerk.database)
    box.user.setText(clerk.user)
    box.password.setText("町の合言葉")
    box.check_button.click()
    assert "接続できました" in box.message.text()
    box.save_button.click()
    assert "次に pfdesk を起動したときから" in box.message.text()
    assert box.password.text() == ""
    assert "保存済み" in box.password.placeholderText()
    assert saved_server() == clerk
    assert pg_secret.load_password(clerk) == "町の合言葉"
    box.resize(640, 420)
    box.grab().save(str(tmp_path / "database-settings.png"))
    box.use_server.setChecked(False)
    box.save_button.click()
    assert saved_server() is None
    assert pg_secret.load_password(clerk) is None  # forgotten with the server


def test_the_window_asks_for_a_password_it_cannot_find(qtbot, clerk, no_keyring,  # noqa: F811
                                                       monkeypatch, tmp_path):
    from argparse import Namespace

    from PySide6.QtWidgets import QInputDialog

    from pfdesk.cli._runtime import open_for_cli
    from pfdesk.ui.settings.database import ask_database_password

    prompts: list[str] = []

    def typed(parent, title, label, echo):
        prompts.append(label)
        return "町の合言葉", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(typed))
    save_server(clerk)  # as the administrator saved it in 設定
    args = Namespace(data_dir=str(tmp_path / "pc"), demo=False, database_url=None,
                     ask_database_password=ask_database_password, smoke_test=False)
    store = open_for_cli(args)
    try:
        assert store.is_server
    finally:
        store.close()
    assert len(prompts) == 1 and "パスワードを保存できません" in prompts[0]
