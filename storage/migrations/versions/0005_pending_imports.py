"""Uploaded content waiting for the editor's confirmation, shared by every instance.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_imports",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("editor", sa.String(64), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pending_imports_created_at", "pending_imports", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_pending_imports_created_at", table_name="pending_imports")
    op.drop_table("pending_imports")
