"""Who is told what about a rendez-vous: the project team when a team submits one, the team
when it is validated or returned, registrants when it moves, is cancelled or has its compte
rendu, a resident when their registration is confirmed or they leave the waiting list.

Messages go through the outbox only (portal/messages, issue "messages"): until it lands on
this branch these functions are the places the calls go, and send nothing.
"""


def submitted(event) -> None:
    """A team's event awaits validation: the project team is told."""


def validated(event) -> None:
    """The team that posted the event is told it is public."""


def returned(event) -> None:
    """The team is told, with the project team's comment."""


def changed(event) -> None:
    """Everyone registered is told the new date, time and place."""


def cancelled(event) -> None:
    """Everyone registered is told, with the reason."""


def reported(event) -> None:
    """Registrants who asked for news are told the compte rendu is online."""


def registered(registration) -> None:
    """The confirmation (or waiting-list notice), in the resident's language."""


def promoted(registrations) -> None:
    """Those who left the waiting list are told they have a place."""
