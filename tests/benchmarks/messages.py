"""Benchmark of the outbox (not a test): prints what `enqueue()` adds to a request, how many
messages a second one worker hands to a local SMTP server (aiosmtpd), and the time and peak
memory of the weekly digest for 1,000 and 10,000 subscribers (the peak should not grow).

    .venv/bin/python -m tests.benchmarks.messages      # BENCH_DATABASE_URL for PostgreSQL
"""

import os
import secrets
import tempfile
import time
import tracemalloc
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import delete, insert, select

from portal import clock, create_app
from portal.extensions import db
from portal.messages import worker
from portal.messages.digest import send_weekly_digest
from portal.messages.models import Channel, Message, Subscription, subscription_quartier
from portal.messages.outbox import enqueue
from portal.quartiers import Quartier
from portal.transaction import unit_of_work
from tests.messages.servers import SmtpServer


def bench_enqueue(app, count: int = 300) -> None:
    """What a request pays: rendering and writing the message, inside its own transaction
    (the commit is the request's, which it pays anyway)."""
    for keyed in (False, True):
        spent = 0.0
        with app.test_request_context():
            for n in range(count):
                with unit_of_work():
                    start = time.perf_counter()
                    enqueue(f"b{n}@example.org", kind="notice",
                            context={"subject": "Bonjour", "text": "Un mot."},
                            key=f"bench:{keyed}:{n}" if keyed else None)
                    spent += time.perf_counter() - start
        print(f"enqueue() {'with key' if keyed else 'no key  '}: {spent * 1000 / count:.2f} ms "
              f"a call, before the request's commit ({count} calls)")
    db.session.execute(delete(Message))
    db.session.commit()


def bench_worker(app, count: int = 2000) -> None:
    now = clock.utcnow()
    db.session.execute(insert(Message), [
        {"channel": Channel.EMAIL, "recipient": f"w{n}@example.org", "kind": "notice",
         "language": "fr", "subject": f"Message {n}", "body": "Texte\n", "body_html": "",
         "headers": {}, "personal": False, "secret": False, "attempts": 0,
         "next_attempt_at": now, "last_error": "", "provider_id": "", "created_at": now}
        for n in range(count)])
    db.session.commit()
    with SmtpServer() as smtp:
        app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                          MAIL_USE_TLS=False, MAIL_USE_SSL=False)
        start = time.perf_counter()
        sent = worker.deliver_all()
        seconds = time.perf_counter() - start
        assert len(smtp.messages) == count == sent
    print(f"worker -> local SMTP: {count / seconds:.0f} messages/s "
          f"({count} messages, one process, batches of {app.config['MESSAGES_BATCH']})")
    db.session.execute(delete(Message))
    db.session.commit()


def bench_digest(app, subscribers: int) -> None:
    from tests.factories import make_news

    db.session.execute(delete(Message))
    db.session.execute(delete(subscription_quartier))
    db.session.execute(delete(Subscription))
    db.session.commit()
    alma = db.session.scalars(select(Quartier)).first()
    if subscribers == 1000:  # the week's one piece of news
        make_news(title="Nouvelle de la semaine", quartiers=[alma],
                  published_at=clock.utcnow())
    now = clock.utcnow()
    rows = [{"channel": Channel.EMAIL, "address": f"s{n}@example.org", "language": "fr",
             "topics": ["actualites"], "code_attempts": 0, "confirmed_at": now,
             "unsubscribe_token": secrets.token_urlsafe(12), "created_at": now}
            for n in range(subscribers)]
    ids = db.session.execute(insert(Subscription).returning(Subscription.id), rows).scalars()
    db.session.execute(insert(subscription_quartier),
                       [{"subscription_id": i, "quartier_id": alma.id} for i in ids])
    db.session.commit()
    db.session.expunge_all()
    tracemalloc.start()
    start = time.perf_counter()
    enqueued = send_weekly_digest()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"digest for {subscribers:>6} subscribers: {enqueued} enqueued in {seconds:.1f} s, "
          f"peak Python memory {peak:.1f} MB")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                          "SERVER_NAME": "localhost", "SECRET_KEY": "bench",
                          "MAIL_BACKEND": "memory"})
        with app.app_context():
            from tests.conftest import _drop_everything

            _drop_everything(db.engine)  # a reused BENCH_DATABASE_URL starts empty
            upgrade(revision="heads")
            from tests.factories import make_quartier

            make_quartier("alma")
            print(f"database: {db.engine.dialect.name}")
            bench_enqueue(app)
            bench_worker(app)
            for subscribers in (1000, 10000):
                bench_digest(app, subscribers)
            db.session.remove()


if __name__ == "__main__":
    main()
