"""The only entry point for servers: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from portal import create_app

app = create_app()  # refuses to start without the production settings (README)
