"""関係機関 pages and dialogs."""
