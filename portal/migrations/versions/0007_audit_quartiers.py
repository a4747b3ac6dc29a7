"""audit entries remember every quartier of their item

Revision ID: 0007_audit_quartiers
Revises: 0006_publication
Create Date: 2026-11-30 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_audit_quartiers'
down_revision = '0006_publication'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry') as batch_op:
        batch_op.add_column(sa.Column('quartier_tags', sa.String(length=100), nullable=False,
                                      server_default=''))
    # Entries written before knew one quartier at most.
    op.execute("UPDATE audit_entry SET quartier_tags = ',' || CAST(quartier_id AS VARCHAR) || ','"
               " WHERE quartier_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('audit_entry') as batch_op:
        batch_op.drop_column('quartier_tags')
