"""messages: the key of the last "manage my subscription" form applied to a subscription

A double submit of that form changes the choices once.

Revision ID: 0018_manage_messages
Revises: 0017_bilans
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_manage_messages'
down_revision = '0017_bilans'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('subscription') as batch_op:
        batch_op.add_column(sa.Column('manage_key', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('subscription') as batch_op:
        batch_op.drop_column('manage_key')
