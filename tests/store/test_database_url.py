"""Naming the shared PostgreSQL server: the URL, 設定's fields, and the password's place."""

from __future__ import annotations

import json

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.preferences import config_dir
from pfdesk.store import pg_secret
from pfdesk.store.url import ServerSettings, configured_url, parse, save_server, saved_server
from tests.keyring_memory import memory_keyring, no_keyring  # noqa: F401 - fixtures

TOWN = ServerSettings(host="db.town.lg.jp", database="pfdesk", user="jimukyoku", port=5433)


@pytest.fixture(autouse=True)
def _no_saved_server(monkeypatch):
    monkeypatch.delenv("PFDESK_DATABASE_URL", raising=False)
    save_server(None)
    yield
    save_server(None)


def test_a_url_gets_the_driver_and_tls_when_offered():
    url = parse("postgresql://jimukyoku@db.town.lg.jp/pfdesk")
    assert url.drivername == "postgresql+psycopg"
    assert url.query["sslmode"] == "prefer"
    assert parse("postgres://u@h/d?sslmode=require").query["sslmode"] == "require"


@pytest.mark.parametrize("text, said", [
    ("C:/pfdesk/pfdesk.sqlite3", "形式が正しくありません"),
    ("mysql://u@h/d", "postgresql:// で始めてください"),
    ("postgresql://u@h", "サーバー名とデータベース名がありません"),
])
def test_a_wrong_url_is_refused_naming_the_option(text, said):
    with pytest.raises(ValidationError) as caught:
        parse(text)
    assert said in caught.value.message
    assert caught.value.where == "--database-url"


def test_the_option_wins_over_the_environment_over_the_settings(monkeypatch):
    assert configured_url(None) is None  # nothing configured: the local file
    save_server(TOWN)
    assert configured_url(None).host == "db.town.lg.jp"
    monkeypatch.setenv("PFDESK_DATABASE_URL", "postgresql://u@env-host/envdb")
    assert configured_url(None).host == "env-host"
    assert configured_url("postgresql://u@cli-host/clidb").host == "cli-host"


def test_the_settings_file_holds_no_password(memory_keyring):  # noqa: F811
    save_server(TOWN)
    pg_secret.save_password(TOWN, "s3cret-町")
    text = (config_dir() / "database.json").read_text(encoding="utf-8")
    assert "s3cret" not in text
    assert json.loads(text) == {"host": "db.town.lg.jp", "port": 5433, "database": "pfdesk",
                                "user": "jimukyoku"}
    assert saved_server() == TOWN
    assert pg_secret.load_password(TOWN) == "s3cret-町"
    assert list(memory_keyring.items.values()) == ["s3cret-町"]


def test_without_a_keyring_the_user_is_told_plainly(no_keyring):  # noqa: F811
    with pytest.raises(pg_secret.NoKeyring) as caught:
        pg_secret.save_password(TOWN, "x")
    assert "パスワードを保存できません" in caught.value.message
    assert "起動するたびに" in caught.value.hint


def test_empty_fields_are_named():
    with pytest.raises(ValidationError) as caught:
        save_server(ServerSettings(host=" ", database="pfdesk", user="u"))
    assert caught.value.field == "host" and "サーバー" in caught.value.message
    assert saved_server() is None
