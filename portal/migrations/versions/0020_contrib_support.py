"""contributions: "Moi aussi" supports, abuse reports, duplicates

Revision ID: 0020_contrib_support
Revises: 0019_reports_indexes
Create Date: 2026-12-02 10:00:00

`contribution_support` and `contribution_abuse_report` (each row: the contribution, when, the
random key of the form sent, unique; the reason of a report; nothing about the person) and
`contribution.duplicate_of_id` (a moderator's "déjà signalé dans n° X"). The downgrade drops
the column and the two tables (the supports and reports go with them).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_contrib_support'
down_revision = '0019_reports_indexes'
branch_labels = None
depends_on = None


def _rows(name: str, *columns):
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        *columns,
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'], ondelete='CASCADE',
                                name=op.f(f'fk_{name}_contribution_id_contribution')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
        sa.UniqueConstraint('key', name=op.f(f'uq_{name}_key')),
    )
    with op.batch_alter_table(name) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_contribution_id'), ['contribution_id'])


def upgrade():
    _rows('contribution_support')
    _rows('contribution_abuse_report', sa.Column('reason', sa.String(length=30), nullable=False))
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contribution_duplicate_of_id_contribution'),
                                    'contribution', ['duplicate_of_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_contribution_duplicate_of_id'), ['duplicate_of_id'])


def downgrade():
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_duplicate_of_id'))
        batch_op.drop_constraint(batch_op.f('fk_contribution_duplicate_of_id_contribution'),
                                 type_='foreignkey')
        batch_op.drop_column('duplicate_of_id')
    for name in ('contribution_abuse_report', 'contribution_support'):
        with op.batch_alter_table(name) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_contribution_id'))
        op.drop_table(name)
