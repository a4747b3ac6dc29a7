"""contributions: pre-moderation score, "Est-ce réglé ?" answers

Revision ID: 0021_contrib_screening
Revises: 0020_contrib_support
Create Date: 2026-12-01 22:00:00

`contribution.screening_score` (the local pre-moderation score, ordering the validation queue)
and `contribution.screening_hash` (SHA-256 of the normalised text, indexed: a text repeated
from another contribution in one lookup), set when a contribution arrives (rows already there
keep 0 and no hash); `contribution_update.answer_to_id` (the author's "oui"/"non" to "Est-ce
réglé ?" names the "résolu" step it answers, unique: one answer per resolution). The
downgrade drops the three columns (the answers' steps stay on the timeline, unmarked).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_contrib_screening'
down_revision = '0020_contrib_support'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.add_column(sa.Column('screening_score', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('screening_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_contribution_screening_hash'), ['screening_hash'])
    with op.batch_alter_table('contribution_update') as batch_op:
        batch_op.add_column(sa.Column('answer_to_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_contribution_update_answer_to_id_contribution_update'),
            'contribution_update', ['answer_to_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(
            batch_op.f('uq_contribution_update_answer_to_id'), ['answer_to_id'])


def downgrade():
    with op.batch_alter_table('contribution_update') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_contribution_update_answer_to_id'),
                                 type_='unique')
        batch_op.drop_constraint(
            batch_op.f('fk_contribution_update_answer_to_id_contribution_update'),
            type_='foreignkey')
        batch_op.drop_column('answer_to_id')
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_screening_hash'))
        batch_op.drop_column('screening_hash')
        batch_op.drop_column('screening_score')
