"""Information figures on conftest.activity: subscribers per quartier and channel (an address
of two quartiers counts in each, once in the total), messages sent and failed."""

from datetime import date

from portal.reports import information
from portal.reports.period import Period

pytest_plugins = ["tests.backoffice_helpers"]


def march():
    return Period("mois", date(2026, 3, 1), date(2026, 3, 31))


def test_subscribers_per_quartier_and_channel(activity, quartiers):
    ids = [quartiers[s].id for s in ("alma", "epeule", "pile", "trois-ponts")]
    found, total = information.subscribers(march(), ids)
    assert found == {quartiers["alma"].id: [2, 1, 2], quartiers["pile"].id: [1, 0, 1]}
    assert total == [2, 1, 2]
    found, total = information.subscribers(march(), [quartiers["pile"].id])
    assert total == [1, 0, 1]


def test_messages_sent_and_failed(activity, app):
    with app.test_request_context():
        assert information.messages(march()) == [["confirm", "E-mail", 1, 0, 0],
                                                 ["digest", "E-mail", 2, 1, 1],
                                                 ["digest", "SMS", 1, 1, 0]]
