"""Screens of the support cycle: the 支援計画 tab of a case and its dialogs."""
