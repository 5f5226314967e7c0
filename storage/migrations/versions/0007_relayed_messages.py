"""Which copy the bot made of which relayed message, so that edits can follow (message numbers only).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relayed_messages",
        sa.Column("conversation_id", sa.Integer(),
                  sa.ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("to_person", sa.Boolean(), primary_key=True),
        sa.Column("source_message_id", sa.BigInteger(), primary_key=True),
        sa.Column("copy_message_id", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("relayed_messages")
