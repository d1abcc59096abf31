"""相談 pages and dialogs."""
