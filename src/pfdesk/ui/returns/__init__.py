"""報告 pages and dialogs."""
