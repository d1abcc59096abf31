"""The database roles of a shared store are refused on a data file, with the file's way."""

from __future__ import annotations

import pytest

from pfdesk.core.errors import KnownError
from pfdesk.services.shared_store import add_server_login, install_server_roles


def test_the_roles_need_a_server(ctx):
    with pytest.raises(KnownError, match="共有データベース") as e:
        install_server_roles(ctx)
    assert "本人情報を別の鍵で暗号化する" in e.value.user_text()
    with pytest.raises(KnownError, match="共有データベース"):
        add_server_login(ctx, "pc_viewer", "viewer", "a-long-password-1")
