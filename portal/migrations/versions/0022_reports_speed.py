"""bilans: day counts of the messages the retention purge forgets, and the indexes that make
a year's bilan read each table once

Revision ID: 0022_reports_speed
Revises: 0021_contrib_screening
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_reports_speed'
down_revision = '0021_contrib_screening'
branch_labels = None
depends_on = None

CHANNEL = sa.Enum('email', 'sms', name='channel', native_enum=False, length=20)
STATE = sa.Enum('queued', 'sending', 'sent', 'failed', 'dead', name='messagestate',
                native_enum=False, length=20)


def upgrade():
    op.create_table(
        'message_day_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', CHANNEL, nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('state', STATE, nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_day_count')),
        sa.UniqueConstraint('day', 'channel', 'kind', 'state', name='uq_message_day_count'),
    )
    op.create_index('ix_message_day_count_bilan', 'message_day_count',
                    ['day', 'kind', 'channel', 'state', 'count'])


def downgrade():
    op.drop_index('ix_message_day_count_bilan', table_name='message_day_count')
    op.drop_table('message_day_count')
