"""messages: the outbox, subscriptions, staff notification preferences and pending items

Revision ID: 0012_messages
Revises: 0009_publication_model
Create Date: 2026-12-01 17:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_messages'
down_revision = '0011_audit_object_id'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=20)


CHANNEL = ('email', 'sms')


def upgrade():
    op.create_table(
        'subscription',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', _enum('channel', *CHANNEL), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('topics', sa.JSON(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('requested', sa.JSON(), nullable=True),
        sa.Column('confirm_token', sa.String(length=64), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=True),
        sa.Column('code_attempts', sa.Integer(), nullable=False),
        sa.Column('confirm_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('unsubscribe_token', sa.String(length=64), nullable=False),
        sa.Column('last_digest_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription')),
        sa.UniqueConstraint('address', name=op.f('uq_subscription_address')),
        sa.UniqueConstraint('confirm_token', name=op.f('uq_subscription_confirm_token')),
        sa.UniqueConstraint('unsubscribe_token', name=op.f('uq_subscription_unsubscribe_token')),
    )
    op.create_table(
        'subscription_quartier',
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('quartier_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['quartier_id'], ['quartier.id'],
                                name=op.f('fk_subscription_quartier_quartier_id_quartier'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['subscription_id'], ['subscription.id'],
            name=op.f('fk_subscription_quartier_subscription_id_subscription'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('subscription_id', 'quartier_id',
                                name=op.f('pk_subscription_quartier')),
    )
    op.create_table(
        'outbox_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', _enum('channel', *CHANNEL), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('personal', sa.Boolean(), nullable=False),
        sa.Column('secret', sa.Boolean(), nullable=False),
        sa.Column('state', _enum('messagestate', 'queued', 'sending', 'sent', 'failed', 'dead'),
                  nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('claimed_by', sa.String(length=64), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('provider_id', sa.String(length=120), nullable=False),
        sa.Column('dedup_key', sa.String(length=200), nullable=True),
        sa.Column('subscription_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'],
                                name=op.f('fk_outbox_message_subscription_id_subscription'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
        sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_message_dedup_key')),
    )
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['state', 'next_attempt_at'])
        batch_op.create_index(batch_op.f('ix_outbox_message_kind'), ['kind'])
        batch_op.create_index(batch_op.f('ix_outbox_message_recipient'), ['recipient'])
        batch_op.create_index(batch_op.f('ix_outbox_message_subscription_id'),
                              ['subscription_id'])
    op.create_table(
        'staff_notification_preference',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('mode', _enum('notifymode', 'immediate', 'daily', 'never'), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'],
            name=op.f('fk_staff_notification_preference_user_id_user_account'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_staff_notification_preference')),
    )
    op.create_table(
        'staff_pending_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('item_key', sa.String(length=120), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_staff_pending_item_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_pending_item')),
    )
    with op.batch_alter_table('staff_pending_item') as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_pending_item_user_id'), ['user_id'])
        batch_op.create_index(batch_op.f('ix_staff_pending_item_digested_at'), ['digested_at'])


def downgrade():
    with op.batch_alter_table('staff_pending_item') as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_pending_item_digested_at'))
        batch_op.drop_index(batch_op.f('ix_staff_pending_item_user_id'))
    op.drop_table('staff_pending_item')
    op.drop_table('staff_notification_preference')
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_recipient'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_kind'))
        batch_op.drop_index('ix_outbox_message_due')
    op.drop_table('outbox_message')
    op.drop_table('subscription_quartier')
    op.drop_table('subscription')
