"""Each saved version of a text says which version it was made from, unique per text: two editors
saving on top of the same version cannot both get in (the second is told, not silently overwritten).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_revisions", sa.Column("replaces", sa.Integer(), nullable=True))
    op.create_index("uq_kb_revisions_replaces", "kb_revisions", ["topic_id", "lang", "replaces"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_kb_revisions_replaces", table_name="kb_revisions")
    op.drop_column("kb_revisions", "replaces")
