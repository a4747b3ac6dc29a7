"""audit entries hold the whole id of their item (a structure's id is up to 200 characters)

Revision ID: 0011_audit_object_id
Revises: 0010_audit_quartier_links
Create Date: 2026-12-01 17:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_audit_object_id'
down_revision = '0010_audit_quartier_links'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry') as batch_op:
        batch_op.alter_column('object_id', existing_type=sa.String(length=64),
                              type_=sa.String(length=200), existing_nullable=False)


def downgrade():
    # Ids longer than the old column are cut (PostgreSQL would refuse to shrink it).
    op.execute("UPDATE audit_entry SET object_id = substr(object_id, 1, 64)"
               " WHERE length(object_id) > 64")
    with op.batch_alter_table('audit_entry') as batch_op:
        batch_op.alter_column('object_id', existing_type=sa.String(length=200),
                              type_=sa.String(length=64), existing_nullable=False)
