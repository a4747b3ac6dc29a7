"""contributions: cadre de vie reports and ideas

Revision ID: 0015_contributions
Revises: 0014_consultations
Create Date: 2026-12-01 18:00:00

`contribution` (publication states, its own status received/transmitted/in progress/resolved/
not retained, the official answer, the idempotency key), `contribution_contact` (contact
details kept apart, erased after closure) and `contribution_update` (the dated public
timeline). The downgrade drops the three.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_contributions'
down_revision = '0014_consultations'
branch_labels = None
depends_on = None

STATES = ('draft', 'pending', 'published', 'returned', 'rejected', 'hidden')
STATUSES = ('received', 'transmitted', 'in_progress', 'resolved', 'not_retained')


def upgrade():
    op.create_table(
        'contribution',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quartier_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('report', 'idea', name='contributionkind', native_enum=False,
                                  length=20), nullable=False),
        sa.Column('category', sa.String(length=30), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('original_text', sa.Text(), server_default='', nullable=False),
        sa.Column('place', sa.String(length=40), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('photo', sa.String(length=200), nullable=True),
        sa.Column('status', sa.Enum(*STATUSES, name='contributionstatus', native_enum=False,
                                    length=20), nullable=False),
        sa.Column('partner', sa.String(length=30), nullable=False),
        sa.Column('answer', sa.Text(), server_default='', nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('channel', sa.Enum('online', 'phone', 'mobile_house', 'desk',
                                     name='contributionchannel', native_enum=False, length=20),
                  nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('idempotency_key', sa.String(length=64), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_news_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('demo', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('publication_status', sa.Enum(*STATES, name='publicationstatus',
                                                native_enum=False, length=20),
                  server_default='draft', nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.Text(), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_contribution_created_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                                name=op.f('fk_contribution_decided_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['quartier_id'], ['quartier.id'],
                                name=op.f('fk_contribution_quartier_id_quartier'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_contribution_idempotency_key')),
    )
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_quartier_id'), ['quartier_id'])
        batch_op.create_index(batch_op.f('ix_contribution_status'), ['status'])
        batch_op.create_index(batch_op.f('ix_contribution_submitted_at'), ['submitted_at'])
        batch_op.create_index(batch_op.f('ix_contribution_publication_status'),
                              ['publication_status'])

    op.create_table(
        'contribution_contact',
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'],
                                name=op.f('fk_contribution_contact_contribution_id_contribution'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('contribution_id', name=op.f('pk_contribution_contact')),
    )
    op.create_table(
        'contribution_update',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='contributionupdatestatus',
                                    native_enum=False, length=20), nullable=False),
        sa.Column('partner', sa.String(length=30), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'],
                                name=op.f('fk_contribution_update_contribution_id_contribution'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_update')),
    )
    with op.batch_alter_table('contribution_update') as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_update_contribution_id'),
                              ['contribution_id'])


def downgrade():
    with op.batch_alter_table('contribution_update') as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_update_contribution_id'))
    op.drop_table('contribution_update')
    op.drop_table('contribution_contact')
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_publication_status'))
        batch_op.drop_index(batch_op.f('ix_contribution_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_contribution_status'))
        batch_op.drop_index(batch_op.f('ix_contribution_quartier_id'))
    op.drop_table('contribution')
