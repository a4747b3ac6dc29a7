"""The hostile corpus (tests/hostile.py) written everywhere text comes in, then every output read.

In: every text field of every back-office form (the forms are found from the app: each page of
the back office's URL map that shows a form, and the login, forgotten and new password pages;
the WTForms classes of portal/ that none of them posted fail a test by name), and every content
file format (one per loader registered on the app; a loader without its format here fails).
Out: every public page of the sitemap in French, English and Arabic and everything they link to
(map scripts, feeds, iCalendar, GeoJSON, JSON exports, posters), the back office's pages, the
password-reset mail. Every answer: nothing run (`hx49` for `hx{{ 7*7 }}`), nothing unescaped
(no script, event attribute or javascript: link from data), no 5xx, under one second.

Everything is written once, in a module fixture, and each test reads what it recorded.
"""

import json
import re
import shutil
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import yaml
from flask_wtf import FlaskForm
from icalendar import Calendar
from sqlalchemy import inspect
from wtforms import StringField

from portal import honeypot, registry, strict_json
from portal.backoffice import auth
from portal.backoffice.models import Role
from portal.extensions import db, limiter
from portal.messages.worker import deliver_all
from portal.publication import Publication, PublicationStatus, decide
from portal.quartiers import Quartier
from tests import hostile
from tests.backoffice.test_permissions import admin_rules, sample_values
from tests.backoffice_helpers import log_in_as, make_user
from tests.factories import make_quartier

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "en", "ar")
SECOND = 1.0
# Public GET routes that no page links to on purpose: files for machines, the health checks,
# the metrics (for the host's Prometheus only).
# contributions.follow: reached by the redirect after sending, and by its author's messages.
# core.too_large: the page nginx shows for a request past its limit.
UNLINKED = {"static", "leaflet", "core.media", "core.healthz", "core.readyz", "metrics",
            "core.robots", "core.sitemap", "contributions.follow", "core.too_large"}
# A field that refused the corpus and had no value of its own (a new item's date) gets this.
# The field robots fill and people never see: left empty, as a person leaves it (the
# robot's path has its own tests), so that what the walk sends is really saved.
HONEYPOTS = {honeypot.NAME}
VALID_BY_NAME = {"email": "hx@exemple.example", "phone": "06 12 34 56 78"}
VALID_BY_KIND = {"date": "2026-11-02", "time": "10:00", "number": "1", "email":
                 "hx@exemple.example", "url": "https://exemple.example/", "tel": "06 12 34 56 78"}
CONSENT_FIELDS = {"consent"}
ENDINGS = ("/annuler", "/supprimer")
TEXT_INPUTS = {"text", "search", "email", "url", "tel", "password", "textarea", "number",
               "date", "time", "datetime-local", ""}
# Content keys whose values are not free text (a time range, opening hours, a phone, an id):
# a hostile string there is refused by the loader, which has its own tests for that.
CONTENT_STRUCTURED = {"slug", "quartier", "quartiers", "time", "horaires_accueil", "telephone",
                      "id", "structure_id", "source", "kind", "status", "date", "from", "until",
                      "published", "rrule", "weekdays", "themes", "except", "courriel",
                      "site_web", "lien_source", "siret", "rna", "code_postal", "code_insee",
                      "contact_email", "value", "accessibilite_lieu", "zone_eligibilite",
                      "modes_accueil", "thematiques", "types", "publics", "frais", "date_maj",
                      "adresse", "complement_adresse", "commune", "reseaux_porteurs",
                      "conditions_acces", "lien_mobilisation", "mobilisable_par",
                      "modes_mobilisation", "publics_precisions", "frais_precisions",
                      "reseaux", "labels_nationaux", "labels_autres", "longitude",
                      "latitude", "planned_start", "planned_end", "actual_start",
                      "actual_end", "nuisances_until", "image", "center", "order",
                      "contact_nom_prenom", "nombre_semaines", "volume_horaire_hebdomadaire",
                      "type", "typologie",
                      # rendez-vous and contributions (content/events.yaml, contributions.yaml)
                      "in_days", "capacity", "deadline_days_before", "lat", "lon",
                      "accessibility", "attendance", "place", "category", "publication",
                      "days_ago", "partner", "answer_days_ago", "steps",
                      # consultations (content/consultations/*.yaml)
                      "results"}


@dataclass
class Answer:
    what: str  # "GET /path" and the language, or "POST /admin/... (set)"
    status: int
    seconds: float
    kind: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Record:
    answers: list[Answer] = field(default_factory=list)
    forms_posted: set = field(default_factory=set)  # WTForms classes validated with data
    saved: dict = field(default_factory=dict)  # form page -> times a hostile value was saved
    edit_pages: set = field(default_factory=set)  # pages of an existing item's form
    shown_forms: set = field(default_factory=set)  # pages that showed a form with text
    endpoints: set = field(default_factory=set)  # public endpoints reached
    mails: int = 0
    requests: int = 0

    def problems(self, kind: str | None = None) -> list[str]:
        return [f"{a.what}: {p}" for a in self.answers for p in a.problems
                if kind is None or a.kind == kind]


# --- reading answers ----------------------------------------------------------------------

def timed(record: Record, send) -> tuple[object, float]:
    """The answer and the processor time the app spent on it (it runs in this process: other
    processes of a busy machine do not count); over a second, the median of three tries."""
    start = time.process_time()
    response = send()
    seconds = time.process_time() - start
    record.requests += 1
    if seconds > SECOND:
        tries = [seconds]
        for _ in range(2):
            start = time.process_time()
            send()
            tries.append(time.process_time() - start)
            record.requests += 1
        seconds = statistics.median(tries)
    return response, seconds


# Answers that are not text (the bilans' XLSX): read for their status, headers and time.
BINARY = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)


def check_answer(record: Record, what: str, response, seconds: float) -> Answer:
    mimetype = response.mimetype or ""
    body = ("" if mimetype in BINARY else response.get_data(as_text=True))
    problems = [f"ran: {marker}" for marker in hostile.executed(body)]
    for name, value in response.headers.items():
        if name.lower().startswith("x-hx") or "\r" in value or "\n" in value:
            problems.append(f"header injected: {name}: {value[:60]!r}")
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    if seconds > SECOND:
        problems.append(f"{seconds:.2f} s")
    if response.status_code < 300:
        problems += content_problems(mimetype, body)
    answer = Answer(what, response.status_code, seconds, mimetype, problems)
    record.answers.append(answer)
    return answer


def content_problems(mimetype: str, body: str) -> list[str]:
    try:
        if mimetype == "text/html":
            return hostile.html_problems(body)
        if mimetype in ("application/json", "application/geo+json"):
            strict_json.loads(body)
        elif mimetype == "application/javascript":
            return _map_script_problems(body)
        elif mimetype in ("application/atom+xml", "application/xml", "image/svg+xml",
                          "text/xml"):
            return _xml_problems(body)
        elif mimetype == "text/calendar":
            return _calendar_problems(body)
    except (ValueError, ET.ParseError) as exc:
        return [f"not valid {mimetype}: {exc}"]
    return []


def _map_script_problems(body: str) -> list[str]:
    if "</" in body or "<!--" in body:
        return ["a map script holding '</' or '<!--' (ends a script element)"]
    start = body.index("drawMap(") + len("drawMap(")
    data = strict_json.loads(body[start:body.rindex("); }")])
    problems = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("popup", "html"):  # Leaflet's innerHTML
            problems.extend(f"map {key}: {p}" for p in hostile.html_problems(value))

    walk(data)
    return problems


def _xml_problems(body: str) -> list[str]:
    root = ET.fromstring(body.encode())
    problems = []
    for element in root.iter():
        if element.get("type") in ("html", "xhtml"):  # Atom: readers show it as HTML
            problems += hostile.html_problems("".join(element.itertext()))
    if root.tag.endswith("svg"):
        problems += hostile.html_problems(body)
    return problems


def _calendar_problems(body: str) -> list[str]:
    Calendar.from_ical(body)
    lines = body.replace("\r\n ", "").split("\r\n")
    return [f"injected line {line[:40]!r}" for line in lines if line.startswith("X-HX")]


# --- forms of the pages -------------------------------------------------------------------

class Forms(HTMLParser):
    """The POST forms of a page with their fields: kind, value, maximum length."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        name, fields = attrs["name"], self._form["fields"]
        maximum = int(attrs["maxlength"]) if attrs.get("maxlength") else None
        if tag == "input":
            kind = attrs.get("type") or "text"
            if kind in ("submit", "image", "button", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                fields.setdefault(name, {"kind": kind, "values": [], "options": []})
                fields[name]["options"].append(attrs.get("value", "y"))
                if "checked" in attrs:
                    fields[name]["values"].append(attrs.get("value", "y"))
                return
            fields[name] = {"kind": kind, "value": attrs.get("value") or "", "max": maximum}
        elif tag == "textarea":
            self._textarea = fields[name] = {"kind": "textarea", "value": "", "max": maximum}
        elif tag == "select":
            self._select = fields[name] = {"kind": "select", "values": [], "first": None}

    def _option(self, attrs):
        value = attrs.get("value", "")
        if self._select["first"] is None:
            self._select["first"] = value
        if "selected" in attrs:
            self._select["values"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # The browser drops the newline right after <textarea>.
            if self._textarea is not None and self._textarea["value"].startswith("\n"):
                self._textarea["value"] = self._textarea["value"][1:]
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._select["values"] and self._select["first"] is not None:
                self._select["values"] = [self._select["first"]]
            self._select = None
        elif tag == "form":
            self._form = None


def text_fields(form: dict) -> list[str]:
    return [n for n, f in form["fields"].items() if f["kind"] in TEXT_INPUTS]


def form_data(form: dict, hostile_value: str, keep: set[str]) -> dict:
    data = {}
    for name, spec in form["fields"].items():
        if spec["kind"] in ("checkbox", "radio", "select"):
            # A consent box is ticked, as the person the form is for would, and so is the
            # first choice of a group refused empty ("choose a quartier"): else the form
            # stops there and the hostile text behind it is never saved.
            # A radio group with nothing chosen (a questionnaire's question) gets its first
            # choice too, as a person answering it would.
            ticked = name in CONSENT_FIELDS or name in keep or spec["kind"] == "radio"
            data[name] = spec["values"] or (spec.get("options", [])[:1] if ticked else [])
        elif name in HONEYPOTS:
            data[name] = ""
        elif spec["kind"] in TEXT_INPUTS and name not in keep:
            data[name] = hostile.fitting(hostile_value, spec["max"])
        else:
            data[name] = spec["value"] or VALID_BY_NAME.get(name) or VALID_BY_KIND.get(
                spec["kind"], "")
    return data


def post_form(record: Record, client, page: str, html: str, form: dict, value: str,
              label: str) -> str | None:
    """Post `value` in every text field; the fields that refuse it get back their own value
    and the form is posted again, until it is saved or nothing more is refused."""
    keep: set[str] = set()
    url = form["action"] or page
    for _attempt in range(4):
        # Encoded before the clock starts: the test client's work is not the server's.
        body = urlencode(form_data(form, value, keep), doseq=True)
        response, seconds = timed(record, lambda body=body: client.post(
            url, data=body, content_type="application/x-www-form-urlencoded"))
        answer = check_answer(record, f"POST {url} ({label})", response, seconds)
        refused = set(re.findall(r'id="([\w-]+)-erreur"', response.get_data(as_text=True)))
        # Saved: redirected, or the page of what was made (printed codes are shown once).
        if answer.status in (302, 303) or (answer.status == 200 and not refused):
            record.saved[page] = record.saved.get(page, 0) + 1
            return response.headers.get("Location")
        refused = {name for name in form["fields"] if name.replace("_", "-") in refused
                   or name in refused} - keep
        if response.status_code != 422 or not refused:
            return None
        keep |= refused
    return None


def form_pages(app, values, record: Record | None = None) -> list[str]:
    """The back-office pages that show a form: those that take their own POST, and an item's
    page whose forms post elsewhere (a contribution's answer, publish, follow-up forms)."""
    pages = []
    for rule in admin_rules(app):
        shows_forms = "POST" in rule.methods or (rule.arguments and not rule.rule.endswith(
            (".csv", ".xlsx", ".js")))
        if ("GET" in rule.methods and shows_forms
                and all(name in values for name in rule.arguments)):
            page = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
            pages.append(page)
            if (record is not None and rule.arguments and "supprimer" not in page
                    and "POST" in rule.methods):
                record.edit_pages.add(page)
    # Cancelling or deleting an item ends what its other pages can do (a cancelled
    # rendez-vous takes no registrations): those forms come last.
    return sorted(pages, key=lambda page: any(word in page for word in ENDINGS))


def fill_every_form(app, record: Record, client, pages: list[str], value: str,
                    label: str) -> list[str]:
    """Post `value` into every form with text fields on `pages`; returns where the saved
    forms led (a local redirect)."""
    led_to = []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        parser = Forms()
        parser.feed(html)
        for form in parser.forms:
            if text_fields(form):  # buttons (publish, delete...) hold only the token
                record.shown_forms.add(page)
                location = post_form(record, client, page, html, form, value, label)
                if location and _local(location):
                    led_to.append(_local(location))
    return led_to


def all_form_classes() -> set[type]:
    """The WTForms classes of portal/ that have text fields and no subclass (bases are
    covered through theirs)."""
    import importlib
    import pkgutil

    import portal

    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [FlaskForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if (cls.__module__.startswith("portal.") and not cls.__subclasses__()
                and _inherits_text(cls)):
            found.add(cls)
    return found


def _inherits_text(cls) -> bool:
    return any(issubclass(getattr(v, "field_class", type), StringField)
               for base in cls.__mro__ for v in vars(base).values())


# --- content files ------------------------------------------------------------------------

POINT = re.compile(r"\s*-?\d+(\.\d+)?\s*[,;]\s*-?\d+(\.\d+)?\s*")


class Spreader:
    """Hands out the corpus's payloads in turn, so every format gets every one."""

    def __init__(self):
        self.values, self.n = hostile.payloads(60), 0

    def next(self) -> str:
        self.n += 1
        return self.values[self.n % len(self.values)]

    def walk(self, data, key: str = ""):
        if isinstance(data, dict):
            return {k: (v if k in CONTENT_STRUCTURED else self.walk(v, k))
                    for k, v in data.items()}
        if isinstance(data, list):
            return [self.walk(v, key) for v in data]
        if isinstance(data, str) and data.strip():
            name, separator, point = data.rpartition(" | ")
            if separator and POINT.fullmatch(point):  # a place: "Name | lat, lon"
                return f"{name} {self.next()}{separator}{point}"
            return f"{data} {self.next()}"
        return data


def _front_matter_files(folder: Path, spread: Spreader) -> None:
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        end = text.find("\n---", 4)
        meta = spread.walk(yaml.safe_load(text[4:end]))
        body = text[end + 4:].split("\n", 1)[1]
        path.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}\n\n"
                        f"{spread.next()}\n", encoding="utf-8")


def _json_file(path: Path, spread: Spreader, part=None) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data = spread.walk(data) if part is None else part(data, spread)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _works_properties(data, spread):
    for feature in data["features"]:
        feature["properties"] = spread.walk(feature["properties"])
    return data


def _yaml_file(path: Path, spread: Spreader) -> None:
    data = spread.walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# Loader name (registry) -> how the corpus goes into its files.
CONTENT_FORMATS = {
    "load_quartiers": lambda root, s: _front_matter_files(root / "quartiers", s),
    "load_news": lambda root, s: _front_matter_files(root / "news", s),
    "load_works": lambda root, s: _json_file(root / "works.geojson", s, _works_properties),
    "load_mobile_house": lambda root, s: _yaml_file(root / "mobile_house.yaml", s),
    "load_services": lambda root, s: [_json_file(root / "services" / name, s)
                                      for name in ("structures.json", "services.json")],
    "load_events": lambda root, s: _yaml_file(root / "events.yaml", s),
    "load_contributions": lambda root, s: _yaml_file(root / "contributions.yaml", s),
    "load_consultations": lambda root, s: [_yaml_file(path, s) for path in
                                           sorted((root / "consultations").glob("*.yaml"))],
}


def hostile_content(tmp: Path) -> Path:
    root = tmp / "content"
    shutil.copytree(ROOT / "content", root)
    spread = Spreader()
    for name in CONTENT_FORMATS:
        CONTENT_FORMATS[name](root, spread)
    return root


# --- the public outputs -------------------------------------------------------------------

class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(("/admin", "/static", "/vendor", "/media")):
        return None
    # A page's filters and pages are followed once each, not in every combination.
    query = parts.query if parts.query.count("&") == 0 else ""
    return f"{path}?{query}" if query and "lang=" not in query else path


def crawl(app, record: Record, languages=LANGUAGES, forms: dict | None = None) -> None:
    """Every page of the sitemap (an index of parts) and what they link to, in `languages`.
    `forms`, when given, gets one page per endpoint and shape of POST forms with text."""
    adapter = app.url_map.bind("localhost")
    for lang in languages:
        client = app.test_client()
        client.get(f"/?lang={lang}")
        todo, seen = ["/sitemap.xml"], {"/sitemap.xml"}
        while todo:
            url = todo.pop(0)
            response, seconds = timed(record, lambda url=url, client=client: client.get(url))
            answer = check_answer(record, f"GET {url} [{lang}]", response, seconds)
            endpoint = adapter.match(urlsplit(url).path)[0]
            record.endpoints.add(endpoint)
            body = response.get_data(as_text=True)
            if endpoint in ("core.sitemap", "core.sitemap_part"):
                found = re.findall(r"<loc>([^<]+)</loc>", body)
            elif answer.kind == "text/html" and answer.status == 200:
                links = Links()
                links.feed(body)
                found = links.urls
                shape = _text_form_shape(body) if forms is not None else None
                if shape and (endpoint, shape) not in forms:
                    forms[endpoint, shape] = url
            else:
                found = []
            for link in found:
                local = _local(link)
                if local and local not in seen:
                    seen.add(local)
                    todo.append(local)


def _text_form_shape(html: str) -> frozenset:
    """The fields of a page's forms with text: each shape of an endpoint is walked once (two
    rendez-vous share their registration form; two questionnaires do not)."""
    parser = Forms()
    parser.feed(html)
    return frozenset(name for form in parser.forms if text_fields(form)
                     for name in form["fields"])


def resident_forms(app, record: Record) -> None:
    """The forms residents fill without an account (subscribing, registering, answering a
    consultation, reporting a problem), found on the public pages, then the page each one
    leads to (the SMS code form after subscribing), each with the whole corpus."""
    pages: dict = {}
    crawl(app, record, languages=("fr",), forms=pages)
    values = {f"payload {i}": v for i, v in enumerate(hostile.payloads(200))}
    values |= {**hostile.REFUSED, "long": hostile.LONG["100 KB of one letter"]}
    for page in sorted(pages.values()):
        for label, value in values.items():
            limiter.reset()
            client = app.test_client()
            for location in fill_every_form(app, record, client, [page], value, label):
                limiter.reset()
                _read_public(app, record, client, location, f"after a form ({label})")
                fill_every_form(app, record, client, [location], value, label)
    code_page = _subscribe_by_sms(app)
    _read_public(app, record, app.test_client(), code_page, "after subscribing by SMS")
    for label, value in values.items():
        limiter.reset()
        fill_every_form(app, record, app.test_client(), [code_page], value, label)
    _links_in_messages(app, record)


def _read_public(app, record: Record, client, url: str, what: str):
    response, seconds = timed(record, lambda: client.get(url))
    check_answer(record, f"GET {url} ({what})", response, seconds)
    record.endpoints.add(app.url_map.bind("localhost").match(urlsplit(url).path)[0])
    return response


def _links_in_messages(app, record: Record) -> None:
    """The links residents get by mail and SMS (confirm, unsubscribe, manage, follow a
    report, cancel a registration), each opened and its page's buttons pressed; then the
    weekly digest the confirmed subscribers get, and its links."""
    seen: set = set()
    _follow_message_links(app, record, seen)
    from portal.messages.digest import send_weekly_digest

    send_weekly_digest()
    _follow_message_links(app, record, seen)


def _follow_message_links(app, record: Record, seen: set) -> None:
    deliver_all()
    texts = [part.get_content() for mail in app.extensions["mail_outbox"]
             for part in mail.walk() if part.get_content_type() == "text/plain"]
    texts += [str(sms) for sms in app.extensions["sms_outbox"]]
    urls = {_local(url) for text in texts for url in re.findall(r"https?://[^\s\"'<>]+", text)}
    client = app.test_client()
    for url in sorted(u for u in urls - seen if u and not u.startswith("/static")):
        seen.add(url)
        response = _read_public(app, record, client, url, "link in a message")
        if response.status_code != 200:
            continue
        parser = Forms()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            if text_fields(form):  # the manage page: its own walk fills it
                continue
            answer = client.post(form["action"] or url, data=form_data(form, "", set()))
            check_answer(record, f"POST {form['action'] or url} (button in a message)",
                         answer, 0.0)
            if answer.status_code in (302, 303) and _local(answer.headers["Location"]):
                _read_public(app, record, client, _local(answer.headers["Location"]),
                             "after a button in a message")


def _subscribe_by_sms(app) -> str:
    """The page asking for the SMS code: the walk's subscriptions choose e-mail (the default)."""
    client = app.test_client()
    parser = Forms()
    parser.feed(client.get("/abonnements/").get_data(as_text=True))
    form = next(form for form in parser.forms if "phone" in form["fields"])
    data = form_data(form, "", set(form["fields"]))
    data |= {"channel": "sms", "phone": "06 12 34 56 78", "website": ""}
    response = client.post("/abonnements/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return _local(response.headers["Location"])


def back_office_pages(app, record: Record, client, values) -> None:
    for rule in admin_rules(app):
        if "GET" in rule.methods and all(name in values for name in rule.arguments):
            url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
            response, seconds = timed(record, lambda url=url: client.get(url))
            check_answer(record, f"GET {url} (back office)", response, seconds)


def reset_mails(app, record: Record, users) -> None:
    client = app.test_client()
    outbox = app.extensions["mail_outbox"]
    for user in users:
        limiter.reset()
        html = client.get("/admin/mot-de-passe-oublie").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        before = len(outbox)
        response, seconds = timed(record, lambda user=user, token=token: client.post(
            "/admin/mot-de-passe-oublie", data={"email": user.email, "csrf_token": token}))
        check_answer(record, f"POST forgotten password ({user.name[:30]!r})", response, seconds)
        deliver_all()  # the reset link leaves through the outbox
        for message in outbox[before:]:
            record.mails += 1
            problems = [f"mail ran: {m}" for m in hostile.executed(str(message))]
            if any(c in message["Subject"] + message["To"] for c in "\r\n"):
                problems.append("mail header holds a line break")
            record.answers.append(Answer(f"mail to {user.email}", 200, 0, "mail", problems))


# --- writing everything once --------------------------------------------------------------

def _empty_tables() -> None:
    db.session.rollback()
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name in tables:
                connection.execute(table.delete())
    db.session.remove()


def _publish_everything() -> None:
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        if issubclass(model, Publication):
            for item in db.session.scalars(db.select(model)):
                if item.publication_status is not PublicationStatus.PUBLISHED:
                    decide(item, None, PublicationStatus.PUBLISHED)
    db.session.commit()


@pytest.fixture(scope="module")
def record(app, tmp_path_factory):
    record = Record()
    original_validate = FlaskForm.validate

    def recording_validate(self, *args, **kwargs):
        if self.is_submitted():
            record.forms_posted.add(type(self))
        return original_validate(self, *args, **kwargs)

    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(FlaskForm, "validate", recording_validate)
        patch.setitem(app.config, "MAIL_BACKEND", "memory")
        patch.setitem(app.config, "SMS_BACKEND", "memory")
        app.extensions["mail_outbox"], app.extensions["sms_outbox"] = [], []
        _empty_tables()
        limiter.reset()
        try:
            _write_everything(app, record, tmp_path_factory.mktemp("hostile"))
            db.session.remove()
            resident_forms(app, record)
            db.session.remove()
            _publish_everything()
            crawl(app, record)
        finally:
            _empty_tables()
            limiter.reset()
    return record


def _write_everything(app, record: Record, tmp: Path) -> None:
    from portal.content import load_content

    record.content_report = load_content(hostile_content(tmp))
    admin = app.test_client()
    log_in_as(admin, make_user(Role.ADMIN))
    users = []
    sets = [(f"payload {i}", value) for i, value in enumerate(hostile.payloads(200))]
    for i, (label, value) in enumerate(sets):
        quartier = make_quartier(f"hx-{i}", name=f"Quartier {i}")
        values = sample_values(quartier)
        fill_every_form(app, record, admin, form_pages(app, values, record), value, label)
        users.append(values["user_id"])
    # The long and the refused strings go, one after the other, into one set of objects.
    values = sample_values(make_quartier("hx-long", name="Quartier long"))
    pages = form_pages(app, values)
    for label, value in {**hostile.LONG, **hostile.REFUSED}.items():
        fill_every_form(app, record, admin, pages, value, label)
        _preview(record, admin, value, label)
    for value in hostile.payloads(200):
        _preview(record, admin, value, "payload")
    _public_forms(app, record, values)
    _contribution_buttons(app, record, values)
    db.session.remove()
    _publish_everything()
    back_office_pages(app, record, admin, values)
    from portal.backoffice.models import User

    reset_mails(app, record, [db.session.get(User, uid) for uid in users])


def _preview(record, client, value, label) -> None:
    """The live Markdown preview of the back office (a POST of one text, no WTForms)."""
    html = client.get("/admin/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', html).group(1)
    response, seconds = timed(record, lambda: client.post(
        "/admin/apercu", data={"text": value, "csrf_token": token}))
    check_answer(record, f"POST /admin/apercu ({label})", response, seconds)


def _public_forms(app, record, values) -> None:
    """The login, forgotten-password and new-password forms, as a stranger sends them."""
    from portal.backoffice.models import User

    user = db.session.get(User, values["user_id"])
    pages = ["/admin/connexion", "/admin/mot-de-passe-oublie",
             f"/admin/nouveau-mot-de-passe/{auth.reset_token(user)}"]
    for label, value in {**{f"payload {i}": v for i, v in enumerate(hostile.payloads(200))},
                         **hostile.REFUSED, "long": hostile.LONG["100 KB of one letter"]}.items():
        limiter.reset()
        fill_every_form(app, record, app.test_client(), pages, value, label)
    _manage_subscription(app, record)


def _manage_subscription(app, record) -> None:
    """"Gérer mon abonnement", reached from a digest's link (no page links to it): the corpus
    in its hidden version key and in the values of its checkboxes and radio buttons, then the
    form as it was shown, saved, and the page that says so."""
    from portal.messages.subscriptions import manage_token
    from tests.messages.factories import make_subscription

    subscription = make_subscription(f"hx-{len(record.answers)}@exemple.example",
                                     quartiers=db.session.scalars(db.select(
                                         Quartier).limit(1)).all())
    page = f"/abonnements/gerer/{manage_token(subscription)}"
    client = app.test_client()
    record.endpoints.add("messages.manage")
    values = {**{f"payload {i}": v for i, v in enumerate(hostile.payloads(200))},
              **hostile.REFUSED, "long": hostile.LONG["100 KB of one letter"]}
    for n, (label, value) in enumerate(values.items()):
        parser = Forms()
        parser.feed(client.get(page).get_data(as_text=True))
        form = parser.forms[0]
        data = form_data(form, value, set())
        data[("key", "topics", "language", "quartiers")[n % 4]] = [value]
        body = urlencode(data, doseq=True)
        response, seconds = timed(record, lambda body=body: client.post(
            page, data=body, content_type="application/x-www-form-urlencoded"))
        check_answer(record, f"POST {page} ({label})", response, seconds)
    parser = Forms()
    parser.feed(client.get(page).get_data(as_text=True))
    body = urlencode(form_data(parser.forms[0], "", set()), doseq=True)
    response = client.post(page, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.status_code
    saved, seconds = timed(record, lambda: client.get(response.headers["Location"]))
    check_answer(record, f"GET {page} (saved)", saved, seconds)


def _contribution_buttons(app, record, values) -> None:
    """"Moi aussi" and "Signaler un abus" of a published contribution, as a stranger sends
    them: the corpus in every field but the CSRF token (the hidden key, the reason's list)."""
    from tests.contributions.factories import make_contribution

    # A contribution of its own: the back-office walk may have made the sample one a
    # duplicate (its page then redirects to the original).
    quartier = db.session.scalar(db.select(Quartier).filter_by(slug=values["slug"]))
    contribution = make_contribution(quartier, publication_status=PublicationStatus.PUBLISHED)
    page = f"/contributions/{contribution.id}"
    for label, value in {**{f"payload {i}": v for i, v in enumerate(hostile.payloads(200))},
                         **hostile.REFUSED, "long": hostile.LONG["100 KB of one letter"]}.items():
        limiter.reset()
        client = app.test_client()
        parser = Forms()
        parser.feed(client.get(page).get_data(as_text=True))
        for form in parser.forms:
            data = {name: spec.get("value", "") if name.endswith("csrf_token")
                    else hostile.fitting(value, spec.get("max"))
                    for name, spec in form["fields"].items()}
            body = urlencode(data)
            response, seconds = timed(record, lambda body=body, url=form["action"],
                                      client=client: client.post(
                                          url, data=body,
                                          content_type="application/x-www-form-urlencoded"))
            check_answer(record, f"POST {form['action']} ({label})", response, seconds)
    _settled_question(app, contribution)


def _settled_question(app, contribution) -> None:
    """The sample marked résolu with its author's contact: "Est-ce réglé ?" waits in the
    outbox, so the walk of the links in messages (resident_forms) opens its page and presses
    its button."""
    from portal.contributions import editing, notify
    from portal.contributions.models import ContributionContact, Status

    with app.test_request_context():
        contribution = db.session.merge(contribution)
        contribution.contact = ContributionContact(email="hx@exemple.example")
        editing.follow_up(None, contribution, Status.RESOLVED)
        assert notify.ask_settled(contribution, editing.last_resolution(contribution))
        db.session.commit()


# --- the tests ----------------------------------------------------------------------------

def test_every_form_class_got_the_corpus(record):
    missing = {f"{c.__module__}.{c.__name__}" for c in all_form_classes()} - {
        f"{c.__module__}.{c.__name__}" for c in record.forms_posted}
    assert not missing, ("forms no page posted: give the walk a page showing them "
                         f"(sample_values in tests/backoffice/test_permissions.py): {missing}")


def test_every_edit_form_saved_hostile_text(record):
    """Refused fields get their own value back: the rest of the corpus is then saved (on
    the pages that showed their form: a rendez-vous awaiting validation takes no
    registrations, a published one is not sent back)."""
    unsaved = sorted(page for page in record.edit_pages & record.shown_forms
                     if not record.saved.get(page))
    assert len(record.edit_pages) >= 8 and not unsaved, f"never saved: {unsaved}"


def test_every_content_format_got_the_corpus(app):
    loaders = {loader.load.__name__ for loader in registry.of(app).ordered_loaders()}
    assert loaders == set(CONTENT_FORMATS), "add the new content format to CONTENT_FORMATS"


def test_hostile_content_files_load(record):
    assert sum(record.content_report.counts.values()) > 20


def test_every_public_route_was_read(app, record):
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if "GET" in rule.methods and not rule.rule.startswith("/admin")}
    unread = sorted(public - UNLINKED - record.endpoints)
    assert not unread, f"public routes no page links to: {unread}"


def test_no_server_error(record):
    failed = [f"{a.what}: {a.status}" for a in record.answers if a.status >= 500]
    assert not failed, "\n".join(failed[:40])


def test_nothing_ran_nor_was_left_unescaped(record):
    problems = [p for p in record.problems() if not p.endswith(" s") and "status 5" not in p]
    assert not problems, "\n".join(problems[:40])


def test_every_answer_under_a_second(record):
    slow = [f"{a.what}: {a.seconds:.2f} s" for a in record.answers if a.seconds > SECOND]
    assert not slow, "\n".join(slow[:40])


def test_the_walk_was_wide(record):
    assert record.requests > 500 and record.mails >= len(hostile.payloads(200))


# --- the checks themselves ----------------------------------------------------------------

@pytest.mark.parametrize("html", [
    '<p>x</p><script>alert(1)</script>', '<img src=x onerror="alert(1)">',
    '<a href=" java\tscript:alert(1)">x</a>', '<iframe src="/x"></iframe>',
    '<p style="color:red">x</p>', '<script src="https://evil.example/x.js"></script>',
    '<script type="application/json">{"a": "</script><script>x</script>', '<svg onload=x>',
])
def test_the_html_check_sees_what_could_run(html):
    assert hostile.html_problems(html)


def test_the_html_check_lets_the_apps_own_markup_through():
    assert not hostile.html_problems(
        '<script src="/static/js/map.js" nonce="x" defer></script>'
        '<script type="application/json">{"a": "\\u003c/script>"}</script>'
        '<a href="/actualites/">x</a> &lt;script&gt;alert(1)&lt;/script&gt; hx{{ 7*7 }}')


def test_the_other_checks_see_what_ran_or_broke_out():
    assert hostile.executed("x hx49 y") == ["hx49"]
    assert hostile.executed("hx{{ 7*7 }} hx${7*7} 49") == []
    assert content_problems("text/calendar",
                            "BEGIN:VCALENDAR\r\nX-HX-INJECTED:1\r\nEND:VCALENDAR\r\n")
    assert content_problems("application/atom+xml", "<feed>\x0b</feed>")
    assert content_problems("application/json", '{"a": NaN}')
    assert content_problems("application/javascript",
                            'if (window.drawMap) { drawMap({"layers": [{"popup": '
                            '"<img src=x onerror=alert(1)>"}]}); }\n')


def test_a_text_form_of_megabytes_is_refused_before_it_is_read(app, admin_client):
    token = re.search(r'name="csrf_token"[^>]*? value="([^"]+)"',
                      admin_client.get("/admin/").get_data(as_text=True)).group(1)
    body = urlencode({"text": "[" * 800_000, "csrf_token": token})  # 2.4 MB escaped
    start = time.process_time()
    response = admin_client.post("/admin/apercu", data=body,
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and time.process_time() - start < 0.2


class _Nul(Spreader):
    """Puts a NUL into the first free text of a format, nothing else."""

    def __init__(self):
        super().__init__()
        self.done = False

    def next(self) -> str:
        if self.done:
            return ""
        self.done = True
        return hostile.REFUSED["NUL"]


@pytest.mark.parametrize("loader", CONTENT_FORMATS)
def test_a_nul_in_a_content_file_is_reported_not_a_crash(app, db, tmp_path, loader):
    """PostgreSQL cannot store NUL (JSON's \\u0000, YAML's \\0): the load lists it as a
    problem of the file, like any other, and writes nothing."""
    from portal.content import ContentErrors, load_content

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    CONTENT_FORMATS[loader](root, _Nul())
    with pytest.raises(ContentErrors, match="NUL"):
        load_content(root)
