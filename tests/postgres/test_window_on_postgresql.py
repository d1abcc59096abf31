"""The window on a server store: every page loads the demo town from the server."""

from __future__ import annotations

from tests.ui.test_app_runtime import test_smoke_check_loads_every_page  # noqa: F401


def test_settings_say_which_server_is_in_use(qtbot, demo_ctx, tmp_path):
    from pfdesk.ui.settings.page import SettingsPage

    page = SettingsPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    shown = page.database.in_use.text()
    assert "いま使っているデータ: サーバー pfdesk@" in shown
    assert demo_ctx.store.engine.url.database in shown
    page.resize(900, 1100)
    page.grab().save(str(tmp_path / "settings-on-server.png"))
