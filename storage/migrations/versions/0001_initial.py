"""People's preferences, processed updates, daily counts, encrypted values.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("pseudonym", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("last_seen_on", sa.Date(), nullable=False),
        sa.Column("wipe_from_message_id", sa.BigInteger(), nullable=True),
        sa.Column("wipe_from_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "daily_counts",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("metric", sa.String(32), primary_key=True),
        sa.Column("language", sa.String(8), primary_key=True),
        sa.Column("topic", sa.String(48), primary_key=True),
        sa.Column("bucket", sa.String(16), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "secret_blobs",
        sa.Column("key", sa.String(96), primary_key=True),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_secret_blobs_expires_at", "secret_blobs", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_secret_blobs_expires_at", "secret_blobs")
    for table in ("secret_blobs", "daily_counts", "processed_updates", "people"):
        op.drop_table(table)
