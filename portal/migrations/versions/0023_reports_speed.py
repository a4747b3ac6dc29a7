"""bilans: day counts of the messages the retention purge forgets, and the indexes that make
a year's bilan read each table once

Revision ID: 0023_reports_speed
Revises: 0022_reject_reasons
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_reports_speed'
down_revision = '0022_reject_reasons'
branch_labels = None
depends_on = None

CHANNEL = sa.Enum('email', 'sms', name='channel', native_enum=False, length=20)
STATE = sa.Enum('queued', 'sending', 'sent', 'failed', 'dead', name='messagestate',
                native_enum=False, length=20)

# Each aggregate of a year's bilan read from one index alone (covering), and on SQLite in the
# order of its GROUP BY where the leading columns are few (answers by campaign and channel,
# messages by kind and channel): no temporary sort.
REPLACED = [  # (table, index, columns before)
    ('outbox_message', 'ix_outbox_message_bilan', ['created_at', 'kind', 'channel', 'state']),
    ('contribution_update', 'ix_contribution_update_status_at', ['status', 'at']),
    ('contribution', 'ix_contribution_first_answered_at', ['first_answered_at']),
    ('contribution', 'ix_contribution_closed_at', ['closed_at']),
]
NEW = [
    ('consultation_response', 'ix_consultation_response_bilan_grouped',
     ['campaign_id', 'channel', 'submitted_at']),
    ('outbox_message', 'ix_outbox_message_bilan', ['kind', 'channel', 'created_at', 'state']),
    ('contribution_update', 'ix_contribution_update_bilan',
     ['status', 'at', 'partner', 'contribution_id']),
    ('contribution_update', 'ix_contribution_update_last', ['contribution_id', 'status', 'at']),
    ('contribution', 'ix_contribution_bilan_received',
     ['submitted_at', 'quartier_id', 'category', 'channel', 'publication_status']),
    ('contribution', 'ix_contribution_bilan_answered',
     ['first_answered_at', 'quartier_id', 'submitted_at']),
    ('contribution', 'ix_contribution_bilan_closed',
     ['closed_at', 'status', 'quartier_id', 'category', 'submitted_at']),
    ('event_registration', 'ix_event_registration_bilan',
     ['event_id', 'status', 'channel', 'people']),
    ('page_view', 'ix_page_view_by_page', ['page', 'day', 'views']),
]


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
    for table, name, columns in REPLACED:
        op.drop_index(name, table_name=table)
    for table, name, columns in NEW:
        op.create_index(name, table, columns)


def downgrade():
    for table, name, columns in reversed(NEW):
        op.drop_index(name, table_name=table)
    for table, name, columns in reversed(REPLACED):
        op.create_index(name, table, columns)
    op.drop_index('ix_message_day_count_bilan', table_name='message_day_count')
    op.drop_table('message_day_count')
