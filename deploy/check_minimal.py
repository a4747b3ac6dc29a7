"""The yardstick of `make prodcheck`: the smallest Flask view, under the same gunicorn
settings as the portal. The portal's pages are measured as a ratio of its requests/s."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Bonjour"
