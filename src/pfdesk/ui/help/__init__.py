"""ヘルプ → 説明書: the Japanese manual shipped with pfdesk, F1 opening the current screen's page."""
