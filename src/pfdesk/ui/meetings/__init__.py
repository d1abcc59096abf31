"""会議 pages and dialogs."""
