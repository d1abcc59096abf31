"""The use cases, one module per area; permission checks and audit live here."""
