"""Who may do what with messages: the outbox is the admins' (bodies hold residents' personal
data); every account chooses how it hears of items awaiting its validation."""

from ..backoffice.rules import is_admin, is_authenticated

can_view_outbox = is_admin
can_read_message_body = is_admin  # secret bodies (reset links) are shown to nobody
can_resend_message = is_admin
can_set_notification_preference = is_authenticated
