"""one publication model: state, who decided, when, and the comment or reason

Revision ID: 0009_publication_model
Revises: 0007_audit_quartiers
Create Date: 2026-12-14 10:00:00

News and visits had a `status` (draft, published), works sites and the directory a
`published` boolean: all of them get `publication_status` (the six states of
portal/publication.py) with `decided_by_id`, `decided_at` and `decision_note`, and existing
rows keep what residents saw. The downgrade gives the old columns back from the state
(published when it was "published", a draft otherwise).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_publication_model'
down_revision = '0008_rendered_markdown'
branch_labels = None
depends_on = None

STATES = ('draft', 'pending', 'published', 'returned', 'rejected', 'hidden')
WITH_STATUS = ('news_article', 'mobile_house_visit')  # status: 'draft' | 'published'
WITH_BOOLEAN = ('works_site', 'directory_structure', 'directory_service')  # published
OLD_STATUS_TYPE = {'news_article': 'newsstatus', 'mobile_house_visit': 'visitstatus'}


def _add_publication_columns(table):
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column(
            'publication_status',
            sa.Enum(*STATES, name='publicationstatus', native_enum=False, length=20),
            nullable=False, server_default='draft'))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(
            batch_op.f(f'fk_{table}_decided_by_id_user_account'), 'user_account',
            ['decided_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f(f'ix_{table}_publication_status'),
                              ['publication_status'], unique=False)


def _drop_publication_columns(table):
    with op.batch_alter_table(table) as batch_op:
        batch_op.drop_index(batch_op.f(f'ix_{table}_publication_status'))
        batch_op.drop_constraint(batch_op.f(f'fk_{table}_decided_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('decision_note')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by_id')
        batch_op.drop_column('publication_status')


def upgrade():
    for table in WITH_STATUS:
        _add_publication_columns(table)
        rows = sa.table(table, sa.column('status', sa.String), sa.column('publication_status',
                                                                        sa.String))
        op.execute(rows.update().values(publication_status=rows.c.status))  # same words
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('status')
    for table in WITH_BOOLEAN:
        _add_publication_columns(table)
        rows = sa.table(table, sa.column('published', sa.Boolean),
                        sa.column('publication_status', sa.String))
        op.execute(rows.update().values(publication_status=sa.case(
            (rows.c.published == sa.true(), 'published'), else_='draft')))
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('published')


def downgrade():
    # What was returned, rejected, pending or hidden was not public: a draft then.
    for table in WITH_STATUS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(
                'status', sa.Enum('draft', 'published', name=OLD_STATUS_TYPE[table],
                                  native_enum=False, length=20),
                nullable=False, server_default='draft'))
        rows = sa.table(table, sa.column('status', sa.String), sa.column('publication_status',
                                                                        sa.String))
        op.execute(rows.update().values(status=sa.case(
            (rows.c.publication_status == 'published', 'published'), else_='draft')))
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('status', server_default=None)  # 0001 and 0003 had none
        _drop_publication_columns(table)
    for table in WITH_BOOLEAN:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('published', sa.Boolean(), nullable=False,
                                          server_default=sa.true()))
        rows = sa.table(table, sa.column('published', sa.Boolean),
                        sa.column('publication_status', sa.String))
        op.execute(rows.update().values(published=rows.c.publication_status == 'published'))
        _drop_publication_columns(table)
