"""Who is told what about a contribution, through the outbox only (portal/messages): the
moderators of its quartier when it arrives (at once or in their digest), its author (when
they left a contact) when it is published, not retained, marked as a duplicate, answered,
passed to a partner or resolved; the moderators again when abuse reports take it off the
site. Every message has an idempotency key, in the caller's transaction."""

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import localized
from ..messages.outbox import enqueue
from ..messages.staff import notify_staff_awaiting
from .follow import settled_token, token
from .models import Contribution
from .texts import PARTNERS, STATUSES


def submitted(contribution: Contribution) -> None:
    notify_staff_awaiting(
        contribution, [contribution.quartier_id], title=contribution.title,
        url=url_for("contributions_admin.detail", contribution_id=contribution.id,
                    _external=True))


def _reason(contribution: Contribution) -> str:
    """The reason chosen, in the author's language (French if the template has no
    translation); a decision taken without a template: its own words."""
    reason = contribution.reject_reason
    if reason is None:
        return contribution.decision_note
    return localized(reason, "text", contribution.language).text


def _news(contribution: Contribution, what: str) -> str:
    with force_locale(contribution.language):
        if what == "published":
            return _("Votre contribution est publiée sur le site.")
        if what == "rejected":
            return _("Votre contribution n’a pas été retenue : %(reason)s",
                     reason=_reason(contribution))
        if what == "duplicate" and contribution.duplicate_of_id:
            return _("Ce que vous avez signalé l’avait déjà été : c’est suivi dans la "
                     "contribution n° %(number)d, avec votre soutien.",
                     number=contribution.duplicate_of_id)
        if what == "answered":
            return _("L’équipe a répondu à votre contribution.")
        label = str(STATUSES[contribution.status])
        if contribution.partner and contribution.status.value == "transmitted":
            return _("Votre signalement a été transmis à %(partner)s.",
                     partner=str(PARTNERS.get(contribution.partner, "")))
        return _("Nouvel état de votre contribution : %(status)s.", status=label)


def tell_author(contribution: Contribution, what: str, key: str) -> None:
    contact = contribution.contact
    address = contact.address if contact is not None and not contact.erased_at else ""
    if not address:
        return
    enqueue(address, kind="contribution_news", language=contribution.language,
            context={"news": _news(contribution, what), "url": url_for(
                "contributions.follow", token=token(contribution), _external=True,
                lang=contribution.language)},
            key=f"contribution-{what}:{contribution.id}:{key}")


def queued_by_abuse(contribution: Contribution) -> None:
    """Abuse reports took it off the site: its moderators are told it waits again."""
    notify_staff_awaiting(
        f"contribution-abuse:{contribution.id}:{contribution.decided_at}",
        [contribution.quartier_id], title=contribution.title,
        url=url_for("contributions_admin.detail", contribution_id=contribution.id,
                    _external=True))


def ask_settled(contribution: Contribution, step) -> bool:
    """Marked résolu: "Est-ce réglé ?" to its author (if reachable), with a "oui" and a "non"
    link, each opening a page with a button (mail scanners follow links: a GET changes
    nothing). Once per "résolu" step."""
    contact = contribution.contact
    address = contact.address if contact is not None and not contact.erased_at else ""
    if not address:
        return False

    def link(answer: str) -> str:
        return url_for("contributions.settled", token=settled_token(contribution, step.id, answer),
                       lang=contribution.language, _external=True)

    enqueue(address, kind="contribution_settled", language=contribution.language,
            context={"number": contribution.id, "yes_url": link("oui"), "no_url": link("non"),
                     "ask_url": link("?")},
            key=f"contribution-settled:{contribution.id}:{step.id}")
    return True


def reopened_by_author(contribution: Contribution, step) -> None:
    """"Non" to "Est-ce réglé ?": its moderators are told it is open again."""
    notify_staff_awaiting(
        f"contribution-reopened:{contribution.id}:{step.id}", [contribution.quartier_id],
        title=f"{contribution.title} : rouverte par l’habitant",
        url=url_for("contributions_admin.detail", contribution_id=contribution.id,
                    _external=True))
