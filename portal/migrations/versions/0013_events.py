"""rendez-vous and registrations

Revision ID: 0013_events
Revises: 0012_messages
Create Date: 2026-12-01 17:30:00

The `event` table (publication states, its own status scheduled/moved/cancelled, the places
taken, the compte rendu) and `event_registration` (contact details kept apart, one row per
contact and event). The downgrade drops both.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_events'
down_revision = '0012_messages'
branch_labels = None
depends_on = None

STATES = ('draft', 'pending', 'published', 'returned', 'rejected', 'hidden')


def upgrade():
    op.create_table(
        'event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=140), nullable=False),
        sa.Column('quartier_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('easy_read', sa.Text(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('description_html', sa.JSON(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('place_name', sa.String(length=200), nullable=False),
        sa.Column('address', sa.String(length=300), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('accessibility', sa.JSON(), nullable=False),
        sa.Column('organiser', sa.String(length=200), nullable=False),
        sa.Column('works_site_id', sa.Integer(), nullable=True),
        sa.Column('news_article_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('scheduled', 'moved', 'cancelled', name='eventstatus',
                                    native_enum=False, length=20),
                  server_default='scheduled', nullable=False),
        sa.Column('change_note', sa.Text(), server_default='', nullable=False),
        sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
        sa.Column('registration', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=True),
        sa.Column('registration_deadline', sa.DateTime(timezone=True), nullable=True),
        sa.Column('seats_taken', sa.Integer(), server_default='0', nullable=False),
        sa.Column('attendance', sa.Integer(), nullable=True),
        sa.Column('report', sa.Text(), server_default='', nullable=False),
        sa.Column('report_html', sa.JSON(), nullable=False),
        sa.Column('demo', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('publication_status', sa.Enum(*STATES, name='publicationstatus',
                                                native_enum=False, length=20),
                  server_default='draft', nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.Text(), server_default='', nullable=False),
        sa.Column('translations', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_event_created_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                                name=op.f('fk_event_decided_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['news_article_id'], ['news_article.id'],
                                name=op.f('fk_event_news_article_id_news_article'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['quartier_id'], ['quartier.id'],
                                name=op.f('fk_event_quartier_id_quartier'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['works_site_id'], ['works_site.id'],
                                name=op.f('fk_event_works_site_id_works_site'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
        sa.UniqueConstraint('slug', name=op.f('uq_event_slug')),
    )
    with op.batch_alter_table('event') as batch_op:
        batch_op.create_index(batch_op.f('ix_event_quartier_id'), ['quartier_id'])
        batch_op.create_index(batch_op.f('ix_event_starts_at'), ['starts_at'])
        batch_op.create_index(batch_op.f('ix_event_publication_status'),
                              ['publication_status'])

    op.create_table(
        'event_registration',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('contact_key', sa.String(length=300), nullable=True),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('needs', sa.JSON(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('wants_news', sa.Boolean(), nullable=False),
        sa.Column('channel', sa.Enum('online', 'phone', 'mobile_house', 'desk',
                                     name='registrationchannel', native_enum=False, length=20),
                  nullable=False),
        sa.Column('status', sa.Enum('confirmed', 'waiting', 'cancelled',
                                    name='registrationstatus', native_enum=False, length=20),
                  nullable=False),
        sa.Column('attended', sa.Boolean(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'],
                                name=op.f('fk_event_registration_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
        sa.UniqueConstraint('event_id', 'contact_key',
                            name=op.f('uq_event_registration_event_id')),
    )
    with op.batch_alter_table('event_registration') as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_event_id'), ['event_id'])
        batch_op.create_index(batch_op.f('ix_event_registration_status'), ['status'])


def downgrade():
    with op.batch_alter_table('event_registration') as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_status'))
        batch_op.drop_index(batch_op.f('ix_event_registration_event_id'))
    op.drop_table('event_registration')
    with op.batch_alter_table('event') as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_publication_status'))
        batch_op.drop_index(batch_op.f('ix_event_starts_at'))
        batch_op.drop_index(batch_op.f('ix_event_quartier_id'))
    op.drop_table('event')
