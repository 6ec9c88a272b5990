"""Add an indexed, nullable tag column to notes.

Revision ID: 0002
Revises: 0001
Create Date: 2024-01-02 00:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("notes") as batch_op:
        batch_op.add_column(sa.Column("tag", sa.String(length=50), nullable=True))
        batch_op.create_index(batch_op.f("ix_notes_tag"), ["tag"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("notes") as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_tag"))
        batch_op.drop_column("tag")
