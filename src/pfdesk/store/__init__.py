"""Persistence: SQLAlchemy models, engine, Alembic migrations, backup."""
