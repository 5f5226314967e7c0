"""Persistence: SQLAlchemy models, repositories, Alembic migrations, pseudonyms and encryption."""
