"""Several worker processes on one outbox: 1,000 messages, each received exactly once by the
local SMTP server. On PostgreSQL the claim is `FOR UPDATE SKIP LOCKED`; on SQLite (a file
database) the conditional UPDATE, one writer at a time."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, insert, select

from portal.extensions import db
from portal.messages.models import Channel, Message, MessageState
from portal.mixins import utcnow
from tests.messages.servers import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
COUNT = 1000
WORKERS = 3


def fill_outbox(count: int) -> None:
    now = utcnow()
    rows = [{"channel": Channel.EMAIL, "recipient": f"habitant{n}@example.org",
             "kind": "notice", "language": "fr", "subject": f"Message {n}",
             "body": f"Texte {n}\n", "body_html": "", "headers": {}, "personal": False,
             "secret": False, "state": MessageState.QUEUED, "attempts": 0,
             "next_attempt_at": now, "last_error": "", "provider_id": "",
             "dedup_key": f"concurrency:{n}", "created_at": now} for n in range(count)]
    db.session.execute(insert(Message), rows)
    db.session.commit()


def start_workers(app, port: int, count: int) -> list[subprocess.Popen]:
    env = {**os.environ, "PORTAL_ENV": "development", "SECRET_KEY": "test-secret",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_BACKEND": "smtp",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_USE_TLS": "0",
           "MESSAGES_BATCH": "20"}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "messages", "work", "--once"]
    return [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(count)]


def test_worker_processes_send_each_message_exactly_once(app, db):
    fill_outbox(COUNT)
    with SmtpServer() as smtp:
        workers = start_workers(app, smtp.port, WORKERS)
        outputs = [worker.communicate(timeout=600) for worker in workers]
        assert [w.returncode for w in workers] == [0] * WORKERS, outputs
        received = [mail["Subject"] for mail in smtp.messages]
    assert len(received) == COUNT
    assert len(set(received)) == COUNT
    handled = [int(out.split()[0]) for out, _err in outputs]
    assert sum(handled) == COUNT
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Message.id)).where(
        Message.state == MessageState.SENT)) == COUNT
    claimed_by = db.session.scalar(select(func.count(func.distinct(Message.claimed_by))))
    assert claimed_by >= 2  # the work was shared, not done by one process alone
