"""Who is told what about a rendez-vous, through the outbox only (portal/messages): the
project team when a team submits one, the team when it is validated or returned, registrants
when it moves, is cancelled or has its compte rendu, a resident when their registration is
confirmed, when they leave the waiting list, and the day before.

Every message is enqueued in the caller's transaction (sent only if the change is
committed) with an idempotency key, so a resend or a re-run command tells nobody twice.
Residents get an SMS when they gave a mobile number, else an e-mail, in their language.
"""

from flask import url_for

from .. import phones
from ..backoffice.models import Role, User
from ..extensions import db
from ..messages.outbox import enqueue, rendered
from ..messages.staff import notify_staff_awaiting
from .models import Registration, RegistrationStatus
from .registrations import token
from .texts import event_url, place_line, when_words


def _context(event, registration=None) -> dict:
    context = {"event": event, "url": event_url(event), "when": when_words,
               "place": place_line}
    if registration is not None:
        context["registration"] = registration
        context["cancel_url"] = url_for("events.registration", token=token(registration),
                                        _external=True, lang=registration.language)
    return context


def _address(registration: Registration) -> str | None:
    # An SMS to a mobile number, else an e-mail; nothing once the details are erased.
    address = phones.mobile(registration.phone) if registration.phone else None
    return address or registration.email or None


def _to_resident(registration: Registration, kind: str, key: str, made=None) -> None:
    address = _address(registration)
    if not address:
        return
    if made is None:
        made = {}
        context = _context(registration.event, registration)
    else:
        context = None  # already rendered
    enqueue(address, kind=kind, language=registration.language, context=context, key=key,
            **made)


def _reached(event, statuses=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)):
    return db.session.scalars(db.select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(statuses),
        Registration.erased_at.is_(None)).order_by(Registration.id)).all()


def submitted(event) -> None:
    """A team's event awaits validation: the project team is told (or gets its digest)."""
    if event.publication_status.value != "pending":
        return
    notify_staff_awaiting(event, [event.quartier_id], title=event.title,
                          url=url_for("events_admin.edit", event_id=event.id, _external=True),
                          roles=(Role.PROJECT,))


def _to_author(event, subject: str, text: str, key: str) -> None:
    author = db.session.get(User, event.created_by_id) if event.created_by_id else None
    if author is None or not author.active:
        return
    enqueue(author, kind="notice", context={"subject": subject, "text": text},
            key=key, personal=False)


def validated(event) -> None:
    from flask_babel import gettext as _

    _to_author(event, _("Rendez-vous publié : %(title)s", title=event.title),
               _("L’équipe projet a publié votre rendez-vous « %(title)s ». Il est en "
                 "ligne : %(url)s", title=event.title, url=event_url(event)),
               f"event-validated:{event.id}:{event.decided_at.isoformat()}")


def returned(event) -> None:
    from flask_babel import gettext as _

    edit = url_for("events_admin.edit", event_id=event.id, _external=True)
    _to_author(event, _("Rendez-vous à revoir : %(title)s", title=event.title),
               _("L’équipe projet vous renvoie le rendez-vous « %(title)s » avec ce "
                 "commentaire :\n\n%(comment)s\n\nCorrigez-le ici : %(url)s",
                 title=event.title, comment=event.decision_note, url=edit),
               f"event-returned:{event.id}:{event.decided_at.isoformat()}")


def changed(event) -> None:
    """Everyone registered is told the new date, time and place."""
    for registration in _reached(event):
        _to_resident(registration, "event_changed",
                     f"event-changed:{event.id}:{event.sequence}:{registration.id}")


def cancelled(event) -> None:
    for registration in _reached(event):
        _to_resident(registration, "event_cancelled",
                     f"event-cancelled:{event.id}:{registration.id}")


def reported(event) -> None:
    """Registrants who asked for news are told the compte rendu is online (once)."""
    if not event.report:
        return
    for registration in _reached(event, (RegistrationStatus.CONFIRMED,)):
        if registration.wants_news:
            _to_resident(registration, "event_report",
                         f"event-report:{event.id}:{registration.id}")


def _registered_kind(registration) -> str:
    return ("event_confirmed" if registration.status is RegistrationStatus.CONFIRMED
            else "event_waiting")


class Confirmation:
    """The confirmation or waiting-list message of a registration, rendered while no lock
    is held (`registrations.register(..., prepare=confirmation)` calls it once the row is
    written, before the event's places are taken), enqueued afterwards by `registered`."""

    def __init__(self):
        self.made: dict[tuple[int, str], dict] = {}

    def __call__(self, registration) -> None:
        kind = _registered_kind(registration)
        address = _address(registration)
        if address:
            self.made[registration.id, kind] = rendered(
                address, kind=kind, language=registration.language,
                context=_context(registration.event, registration))


def registered(registration, confirmation: Confirmation | None = None) -> None:
    """The confirmation, or the waiting-list notice, in the resident's language (already
    rendered when `confirmation` made it for this registration and status)."""
    kind = _registered_kind(registration)
    made = confirmation.made.get((registration.id, kind)) if confirmation else None
    _to_resident(registration, kind, f"{kind}:{registration.id}", made or None)


def promoted(registrations) -> None:
    for registration in registrations:
        _to_resident(registration, "event_promoted",
                     f"event-promoted:{registration.id}:{registration.event.sequence}")


def remind(registration) -> None:
    """The day before (`flask events remind`, daily): once per registration and date."""
    day = registration.event.starts_at.date().isoformat()
    _to_resident(registration, "event_reminder", f"event-reminder:{registration.id}:{day}")
