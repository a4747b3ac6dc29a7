"""draft or published works sites, structures and services

Revision ID: 0006_publication
Revises: 0005_backoffice
Create Date: 2026-11-30 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_publication'
down_revision = '0005_backoffice'
branch_labels = None
depends_on = None

TABLES = ('works_site', 'directory_structure', 'directory_service')


def upgrade():
    # What is already there was public: it stays published.
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('published', sa.Boolean(), nullable=False,
                                          server_default=sa.true()))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('published')
