"""bilans: the indexes the report figures group over, and the first official answer's time

Revision ID: 0019_reports_indexes
Revises: 0018_manage_messages
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_reports_indexes'
down_revision = '0018_manage_messages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_answered_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_contribution_first_answered_at'),
                              ['first_answered_at'])
        batch_op.create_index(batch_op.f('ix_contribution_closed_at'), ['closed_at'])
    # Answers given before this column: their only known time is the last edit's.
    op.execute("UPDATE contribution SET first_answered_at = answered_at "
               "WHERE answered_at IS NOT NULL")
    op.create_index('ix_consultation_response_bilan', 'consultation_response',
                    ['campaign_id', 'submitted_at', 'channel'])
    op.create_index('ix_contribution_update_status_at', 'contribution_update', ['status', 'at'])
    op.create_index('ix_outbox_message_bilan', 'outbox_message',
                    ['created_at', 'kind', 'channel', 'state'])
    op.create_index('ix_page_view_bilan', 'page_view', ['day', 'page', 'views'])


def downgrade():
    op.drop_index('ix_page_view_bilan', table_name='page_view')
    op.drop_index('ix_outbox_message_bilan', table_name='outbox_message')
    op.drop_index('ix_contribution_update_status_at', table_name='contribution_update')
    op.drop_index('ix_consultation_response_bilan', table_name='consultation_response')
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_closed_at'))
        batch_op.drop_index(batch_op.f('ix_contribution_first_answered_at'))
        batch_op.drop_column('first_answered_at')
