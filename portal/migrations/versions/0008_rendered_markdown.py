"""Markdown rendered once, when saved: sanitized HTML per language beside each Markdown field

Revision ID: 0008_rendered_markdown
Revises: 0007_audit_quartiers
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from portal.sanitize import render_versions


# revision identifiers, used by Alembic.
revision = '0008_rendered_markdown'
down_revision = '0007_audit_quartiers'
branch_labels = None
depends_on = None

# table, Markdown field, level of its first heading: as the models' `markdown_fields` say.
FIELDS = (
    ('news_article', 'body', 2),
    ('quartier', 'body', 3),
    ('works_site', 'description', 2),
)


def upgrade():
    connection = op.get_bind()
    for table_name, field, top in FIELDS:
        column = f'{field}_html'
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.add_column(sa.Column(column, sa.JSON(), nullable=True))
        table = sa.table(table_name, sa.column('id', sa.Integer()), sa.column(field, sa.Text()),
                         sa.column('translations', sa.JSON()), sa.column(column, sa.JSON()))
        rows = connection.execute(
            sa.select(table.c.id, table.c[field], table.c.translations)).all()
        for row_id, text, translations in rows:
            connection.execute(
                table.update().where(table.c.id == row_id)
                .values({column: render_versions(text, translations, field, top)}))
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.alter_column(column, existing_type=sa.JSON(), nullable=False)


def downgrade():
    for table_name, field, _top in FIELDS:
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.drop_column(f'{field}_html')
