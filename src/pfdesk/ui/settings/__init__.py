"""設定 pages and dialogs."""
