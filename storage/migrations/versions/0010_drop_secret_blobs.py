"""The secret_blobs table goes: nothing ever wrote to it (chat ids are kept encrypted on their
conversation's row).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_secret_blobs_expires_at", "secret_blobs")
    op.drop_table("secret_blobs")


def downgrade() -> None:
    op.create_table(
        "secret_blobs",
        sa.Column("key", sa.String(96), primary_key=True),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_secret_blobs_expires_at", "secret_blobs", ["expires_at"])
