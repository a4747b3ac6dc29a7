"""Real local servers for the delivery tests: an SMTP server (aiosmtpd) that keeps what it
receives, and an HTTP server standing for the SMS provider, answering as it is told."""

import json
import threading
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Keeper:
    """aiosmtpd handler: keeps every message; `refuse` maps recipients to SMTP answers."""

    def __init__(self):
        self.messages = []
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self, port: int = 0):
        self.keeper = Keeper()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=port or 0)
        if not port:
            import socket

            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.controller.port = probe.getsockname()[1]

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self):
        return self.keeper.messages

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class ProviderHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802  (http.server's name)
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.received.append({"headers": {k.lower(): v for k, v in self.headers.items()},
                                "json": body})
        status, answer = server.answers.pop(0) if server.answers else (
            201, {"messageId": 1000 + len(server.received), "smsCount": 1})
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class SmsProvider:
    """A local stand-in for Brevo's transactional SMS endpoint; `answers` are (status, json)
    given in order, then 201."""

    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), ProviderHandler)
        self.httpd.received = []
        self.httpd.answers = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v3/transactionalSMS/sms"

    @property
    def received(self):
        return self.httpd.received

    @property
    def answers(self):
        return self.httpd.answers

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


__all__ = ["SMTP", "SmsProvider", "SmtpServer"]
