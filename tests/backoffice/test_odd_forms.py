"""Bad input is normal in the back office too: every back-office form (found from the app's URL
map), posted by an admin with odd values in each of its fields, answers without a 5xx."""

import re
from html.parser import HTMLParser

import pytest

from tests.backoffice.test_permissions import admin_rules, sample_values
from tests.backoffice_helpers import token_from

ODD_VALUES = ["99999999999999999999", "-1e309", "nan", "<script>alert(1)</script>", "\u202e",
              "x" * 5000, "2026-02-30", "   "]


class FormFields(HTMLParser):
    """The POST forms of a page: their action and field names (first form with fields)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            if name and attrs.get("type") not in ("file", "submit", "image"):
                self._current["fields"][name] = attrs.get("type") or tag

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def form_pages(app, values) -> list[str]:
    pages = []
    for rule in admin_rules(app):
        if "GET" not in rule.methods or "POST" not in rule.methods:
            continue
        if any(name not in values for name in rule.arguments):
            continue
        pages.append(re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule))
    return pages


def forms_on_pages(app, admin_client, quartier):
    """(url to post to, the page's HTML, the form's fields) for every form of every page."""
    for page in form_pages(app, sample_values(quartier)):
        response = admin_client.get(page)
        if response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        parser = FormFields()
        parser.feed(html)
        for form in parser.forms:
            yield form["action"] or page, html, form["fields"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_values_in_every_field_never_give_a_server_error(app, admin_client, quartiers, value):
    failures, posted = [], 0
    for url, html, form_fields in forms_on_pages(app, admin_client, quartiers["alma"]):
        fields = {n: value for n, kind in form_fields.items()
                  if kind not in ("hidden", "checkbox", "radio")}
        if not fields:
            continue
        fields["csrf_token"] = token_from(html)
        answer = admin_client.post(url, data=fields)
        posted += 1
        if answer.status_code >= 500:
            failures.append(f"{url} {value[:20]!r}: {answer.status_code}")
    assert posted >= 8, f"only {posted} forms found"  # the walk really reached the forms
    assert not failures, "\n".join(failures)


def test_every_form_sent_with_only_its_token_never_gives_a_server_error(app, admin_client,
                                                                        quartiers):
    """A half-sent form (a lost connection, a script): the object's stored values (lists
    included) must not reach code that expects what a person types."""
    failures, posted = [], 0
    for url, html, form_fields in forms_on_pages(app, admin_client, quartiers["alma"]):
        if len(form_fields) < 3:  # buttons (publish, log out...) hold only the token
            continue
        answer = admin_client.post(url, data={"csrf_token": token_from(html)})
        posted += 1
        if answer.status_code >= 500:
            failures.append(f"{url}: {answer.status_code}")
    assert posted >= 8, f"only {posted} forms found"
    assert not failures, "\n".join(failures)
