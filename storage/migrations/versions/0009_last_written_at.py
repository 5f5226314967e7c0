"""/wipe's window: the chat's last message time (to the hour) replaces the window's start time, so
the window starts at the first message after a silence longer than 48 hours, not at a message that
happened to come 47 hours after another (which left younger messages undeleted).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.alter_column("wipe_from_at", new_column_name="last_written_at")


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.alter_column("last_written_at", new_column_name="wipe_from_at")
