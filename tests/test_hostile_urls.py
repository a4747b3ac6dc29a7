"""Bad input in URLs is normal: every GET route of the app (public, and back office as admin) (taken from its URL map, so
a new route cannot be forgotten), with odd path values and odd query parameters, answers
200, 3xx, 400 or 404, never a 5xx."""

import re

import pytest

ODD_VALUES = ["", "-1", "0", "99999999999999999999", "abc", "%ff", "%C0%AF", "<script>",
              "a'b\"", "..%2f..", "%E2%80%AE", "[]"]
PARAMETERS = ["page", "quartier", "theme", "statut", "type", "besoin", "q", "ouvert", "public",
              "frais", "mode", "lang", "thematique"]
PATH_VALUES = {"quartier": "alma", "day": "2026-13-45", "service_id": "x" * 300,
               "site_id": "1", "visit_id": "1", "article_id": "1", "user_id": "1"}


def get_paths(app, back_office: bool = False) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/static", "/vendor")):
            continue
        if rule.rule.startswith("/admin") != back_office:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:[^:>]+:)?{name}>", PATH_VALUES.get(name, "inconnu%ff"), path)
        paths.append(path)
    return sorted(set(paths))


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_parameters_never_give_a_server_error(app, client, demo_content, value):
    query = "&".join(f"{name}={value}" for name in PARAMETERS)
    failures = []
    for path in get_paths(app):
        status = client.get(f"{path}?{query}").status_code
        if status >= 500:
            failures.append(f"{path}?{query}: {status}")
    assert not failures, "\n".join(failures)


def test_every_public_route_is_walked(app):
    paths = get_paths(app)
    assert "/actualites/" in paths and "/services/" in paths and "/maison-du-projet/" in paths


@pytest.mark.parametrize("value", ["99999999999999999999", "%ff", "-1", "<script>"])
def test_odd_parameters_never_break_the_back_office(app, admin_client, value):
    query = "&".join(f"{name}={value}" for name in PARAMETERS + ["actor", "action"])
    failures = []
    for path in get_paths(app, back_office=True):
        status = admin_client.get(f"{path}?{query}").status_code
        if status >= 500:
            failures.append(f"{path}?{query}: {status}")
    assert not failures, "\n".join(failures)
