"""Conversations handed to counsellors.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("alias", sa.String(24), nullable=False),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("chat_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("topic", sa.String(48), nullable=False),
        sa.Column("crisis", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("counsellor", sa.String(64), nullable=True),
        sa.Column("counsellor_name", sa.String(64), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("notice_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purge_after", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_conversations_person", "conversations", ["person"])
    op.create_index("ix_conversations_status", "conversations", ["status"])
    op.create_index("ix_conversations_purge_after", "conversations", ["purge_after"])
    op.create_index("ix_conversations_thread_id", "conversations", ["thread_id"])


def downgrade() -> None:
    op.drop_table("conversations")
