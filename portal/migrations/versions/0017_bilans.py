"""bilans: page views per page and day; people received per Maison Mobile occurrence

Revision ID: 0017_bilans
Revises: 0016_search_index
Create Date: 2026-12-01 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_bilans'
down_revision = '0016_search_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'page_view',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('page', sa.String(length=200), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_page_view')),
        sa.UniqueConstraint('day', 'page', name='uq_page_view_day_page'),
    )
    op.create_table(
        'mobile_house_visit_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=False),
        sa.Column('quartier_id', sa.Integer(), nullable=False),
        sa.Column('occurs_on', sa.Date(), nullable=False),
        sa.Column('people_received', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['quartier_id'], ['quartier.id'], ondelete='CASCADE',
                                name=op.f('fk_mobile_house_visit_report_quartier_id_quartier')),
        sa.ForeignKeyConstraint(['visit_id'], ['mobile_house_visit.id'], ondelete='CASCADE',
                                name=op.f('fk_mobile_house_visit_report_visit_id_mobile_house_visit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mobile_house_visit_report')),
        sa.UniqueConstraint('visit_id', 'occurs_on',
                            name=op.f('uq_mobile_house_visit_report_visit_id')),
    )
    op.create_index(op.f('ix_mobile_house_visit_report_occurs_on'), 'mobile_house_visit_report',
                    ['occurs_on'])


def downgrade():
    op.drop_index(op.f('ix_mobile_house_visit_report_occurs_on'),
                  table_name='mobile_house_visit_report')
    op.drop_table('mobile_house_visit_report')
    op.drop_table('page_view')
