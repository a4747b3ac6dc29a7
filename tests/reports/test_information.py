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


def test_purged_messages_keep_their_month_s_figures(activity, app, db, frozen_clock):
    """Send, purge: March's figures are what they were, counted once (the roll-up of the
    messages the purge forgot plus the rows left), whatever the number of purges; the roll-up
    holds no recipient. A message sent at 00:30 in Paris on 1 April (22:30 UTC on 31 March)
    stays in April."""
    from sqlalchemy import inspect, select

    from portal.messages import worker
    from portal.messages.models import Message, MessageDayCount
    from portal.messages.outbox import enqueue
    from portal.messages.retention import purge_personal_data
    from portal.transaction import unit_of_work
    from tests.events.factories import paris

    frozen_clock(paris(2026, 3, 20, 11))
    with unit_of_work():
        enqueue("lecteur@example.org", kind="notice", context={"subject": "S", "text": "T"})
    assert worker.deliver_all() == 2  # and the activity's queued "confirm"
    frozen_clock(paris(2026, 4, 1, 0, 30))
    with unit_of_work():
        enqueue("tard@example.org", kind="notice", context={"subject": "S", "text": "T"})
    assert worker.deliver_all() == 1
    periods = (march(), Period("mois", date(2026, 4, 1), date(2026, 4, 30)))
    with app.test_request_context():
        before = [information.messages(p) for p in periods]
    assert before[0] == [["confirm", "E-mail", 1, 1, 0], ["digest", "E-mail", 2, 1, 1],
                         ["digest", "SMS", 1, 1, 0], ["notice", "E-mail", 1, 1, 0]]
    assert before[1] == [["notice", "E-mail", 1, 1, 0]]
    frozen_clock(paris(2027, 6, 1, 12))  # past both retention periods
    for _ in range(2):
        with unit_of_work():
            purge_personal_data()
        with app.test_request_context():
            assert [information.messages(p) for p in periods] == before
    assert db.session.scalars(select(Message)).all() == []
    columns = {c.key for c in inspect(MessageDayCount).columns}
    assert columns == {"id", "day", "channel", "kind", "state", "count"}
    assert db.session.scalar(select(MessageDayCount.day).where(
        MessageDayCount.kind == "notice").order_by(MessageDayCount.day.desc())) == date(2026, 4, 1)
