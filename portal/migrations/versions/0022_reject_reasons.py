"""contributions: editable reasons for "non retenue", scores not yet computed

Revision ID: 0022_reject_reasons
Revises: 0021_contrib_screening
Create Date: 2026-12-02 01:00:00

`contribution_reject_reason`: the reasons moderators choose when a contribution is not
retained, as its author reads them (French in `text`, English and Arabic in `translations`),
edited in the back office and retired (`retired_at`) rather than deleted. The four reasons
the code offered until now are its first rows, with the translations the catalogs had, so
moderators keep the same choices. `contribution.reject_reason_id` names the reason of a
decision (the decision's own words stay in `decision_note`); decisions already taken whose
note is one of the four French texts are linked to it.

`contribution.screening_score` becomes nullable: NULL says "not computed yet" (rows stored
before 0021, whose score 0 said nothing); `flask contributions screen` computes them.
The downgrade gives those rows 0 again, drops the column and the table.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_reject_reasons'
down_revision = '0021_contrib_screening'
branch_labels = None
depends_on = None

# The reasons of portal/contributions/forms.py REJECT_REASONS before this revision, with
# their en and ar catalog entries (tests/contributions use these rows too).
REASONS = (
    ("Ce message contient des propos injurieux ou des données personnelles.",
     "This message contains insults or personal data.",
     "تحتوي هذه الرسالة على إهانات أو بيانات شخصية."),
    ("Ce sujet ne relève pas du projet de renouvellement urbain.",
     "This subject is not part of the urban renewal project.",
     "هذا الموضوع لا يدخل ضمن مشروع التجديد الحضري."),
    ("Ce problème est déjà signalé : suivez la contribution existante.",
     "This problem is already reported: follow the existing contribution.",
     "تم الإبلاغ عن هذه المشكلة من قبل: تابع المساهمة الموجودة."),
    ("Ce message n’est pas assez précis pour que l’équipe agisse.",
     "This message is not precise enough for the team to act.",
     "هذه الرسالة ليست دقيقة بما يكفي ليتصرف الفريق."),
)


def seed_rows(now: datetime) -> list[dict]:
    return [{"id": number, "text": fr, "translations": {"en": {"text": en}, "ar": {"text": ar}},
             "retired_at": None, "created_at": now, "updated_at": now}
            for number, (fr, en, ar) in enumerate(REASONS, start=1)]


def upgrade():
    reasons = op.create_table(
        'contribution_reject_reason',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('translations', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_reject_reason')),
    )
    op.bulk_insert(reasons, seed_rows(datetime.now(UTC)))
    if op.get_bind().dialect.name == "postgresql":  # ids given: the sequence starts after them
        op.execute("SELECT setval(pg_get_serial_sequence('contribution_reject_reason', 'id'), "
                   "(SELECT MAX(id) FROM contribution_reject_reason))")
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.add_column(sa.Column('reject_reason_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_contribution_reject_reason_id_contribution_reject_reason'),
            'contribution_reject_reason', ['reject_reason_id'], ['id'], ondelete='SET NULL')
        batch_op.alter_column('screening_score', existing_type=sa.Integer(), nullable=True,
                              server_default=None)
    contribution = sa.table('contribution', sa.column('publication_status'),
                            sa.column('decision_note'), sa.column('reject_reason_id'),
                            sa.column('screening_score'), sa.column('screening_hash'))
    for number, (french, _en, _ar) in enumerate(REASONS, start=1):
        op.execute(contribution.update()
                   .where(contribution.c.publication_status == 'rejected',
                          contribution.c.decision_note == french)
                   .values(reject_reason_id=number))
    # Stored before 0021: never screened (0 and no hash said nothing).
    op.execute(contribution.update().where(contribution.c.screening_hash.is_(None))
               .values(screening_score=None))


def downgrade():
    contribution = sa.table('contribution', sa.column('screening_score'))
    op.execute(contribution.update().where(contribution.c.screening_score.is_(None))
               .values(screening_score=0))
    with op.batch_alter_table('contribution') as batch_op:
        batch_op.alter_column('screening_score', existing_type=sa.Integer(), nullable=False,
                              server_default='0')
        batch_op.drop_constraint(
            batch_op.f('fk_contribution_reject_reason_id_contribution_reject_reason'),
            type_='foreignkey')
        batch_op.drop_column('reject_reason_id')
    op.drop_table('contribution_reject_reason')
