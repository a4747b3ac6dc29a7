"""audit entries link their quartiers through a table, not a ",1,2," text column

Revision ID: 0010_audit_quartier_links
Revises: 0009_publication_model
Create Date: 2026-12-01 17:30:00

The journal's quartier filter was a LIKE on `audit_entry.quartier_tags`; it becomes a join
on `audit_entry_quartier`. The upgrade fills the table from the text of every existing entry
and drops the column; the downgrade writes the text back from the table.
"""
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_audit_quartier_links'
down_revision = '0009_publication_model'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entry_quartier',
    sa.Column('audit_entry_id', sa.Integer(), nullable=False),
    sa.Column('quartier_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_entry_id'], ['audit_entry.id'], name=op.f('fk_audit_entry_quartier_audit_entry_id_audit_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quartier_id'], ['quartier.id'], name=op.f('fk_audit_entry_quartier_quartier_id_quartier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('audit_entry_id', 'quartier_id', name=op.f('pk_audit_entry_quartier'))
    )
    with op.batch_alter_table('audit_entry_quartier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_quartier_quartier_id'), ['quartier_id'], unique=False)

    # ",1,3," names quartiers 1 and 3 (the join keeps only quartiers that still exist).
    op.execute(
        "INSERT INTO audit_entry_quartier (audit_entry_id, quartier_id)"
        " SELECT audit_entry.id, quartier.id FROM audit_entry JOIN quartier"
        " ON audit_entry.quartier_tags LIKE '%,' || CAST(quartier.id AS VARCHAR(20)) || ',%'"
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('quartier_tags')


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quartier_tags', sa.String(length=100), nullable=False,
                                      server_default=''))
    # Back to ",1,3," (ids in order), written here rather than with string_agg/group_concat,
    # whose ordering differs between PostgreSQL and SQLite.
    connection = op.get_bind()
    links = connection.execute(sa.text(
        "SELECT audit_entry_id, quartier_id FROM audit_entry_quartier"
        " ORDER BY audit_entry_id, quartier_id"))
    tags = defaultdict(list)
    for entry_id, quartier_id in links:
        tags[entry_id].append(str(quartier_id))
    update = sa.text("UPDATE audit_entry SET quartier_tags = :tags WHERE id = :id")
    for entry_id, ids in tags.items():
        connection.execute(update, {"id": entry_id, "tags": "," + ",".join(ids) + ","})
    with op.batch_alter_table('audit_entry_quartier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_quartier_quartier_id'))

    op.drop_table('audit_entry_quartier')
