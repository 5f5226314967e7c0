"""The claiming counsellor's first name is kept encrypted, never in plain form.

Names stored in plain form before are dropped, not carried over: a migration has no key to encrypt
with. An open claim stays with its counsellor; only the name shown beside it is gone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("counsellor_name_cipher", sa.LargeBinary(), nullable=True))
        batch.drop_column("counsellor_name")


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("counsellor_name", sa.String(64), nullable=True))
        batch.drop_column("counsellor_name_cipher")
