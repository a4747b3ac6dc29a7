"""The permission matrix: every back-office route of the URL map, for every kind of visitor.

The routes come from `app.url_map`, so a new /admin route without a line in EXPECTED fails
`test_every_admin_route_is_in_the_matrix`, and one without `@permission_required` fails
`test_every_admin_route_declares_a_permission`.
"""

from itertools import count

import pytest

from portal.backoffice.models import Role
from portal.publication import PublicationStatus
from tests.backoffice_helpers import log_in_as, make_user
from tests.factories import make_news, make_quartier

PUBLIC = {"backoffice.login", "backoffice.logout", "backoffice.forgot_password",
          "backoffice.reset_password"}
EVERYONE = {"admin", "project", "team_own", "team_other"}
CONTENT = {"admin", "project"}
OWN = {"admin", "project", "team_own"}

# endpoint -> who may use it (anonymous never may).
EXPECTED = {
    "backoffice.dashboard": EVERYONE,
    "backoffice.preview": EVERYONE,
    "backoffice.figures_csv": EVERYONE,
    "backoffice.users": {"admin"},
    "backoffice.user_new": {"admin"},
    "backoffice.user_edit": {"admin"},
    "backoffice.user_send_link": {"admin"},
    "backoffice.journal": {"admin"},
    "news_admin.index": CONTENT,
    "news_admin.create": CONTENT,
    "news_admin.edit": CONTENT,
    "news_admin.preview": CONTENT,
    "news_admin.publish": CONTENT,
    "news_admin.unpublish": CONTENT,
    "news_admin.delete": CONTENT,
    "core_admin.index": CONTENT,
    "core_admin.edit": CONTENT,
    "mobile_house_admin.index": EVERYONE,  # a team lists its own quartiers' visits only
    "mobile_house_admin.create": CONTENT,
    "mobile_house_admin.edit": CONTENT,
    "mobile_house_admin.delete": CONTENT,
    "mobile_house_admin.cancel": OWN,
    "mobile_house_admin.restore": OWN,
    "mobile_house_admin.people_received": OWN,
    "reports_admin.index": EVERYONE,  # a team reads its own quartiers' figures only
    "reports_admin.printable": EVERYONE,
    "reports_admin.table_csv": EVERYONE,
    "reports_admin.workbook": EVERYONE,
    "works_admin.index": EVERYONE,  # a team lists its own quartiers' sites only
    "works_admin.create": CONTENT,
    "works_admin.edit": CONTENT,
    "works_admin.delete": CONTENT,
    "works_admin.preview": CONTENT,
    "works_admin.preview_map": CONTENT,
    "works_admin.publish": CONTENT,
    "works_admin.unpublish": CONTENT,
    "works_admin.updates": OWN,
    "works_admin.delete_update": OWN,
    "directory_admin.index": CONTENT,
    "directory_admin.structure": CONTENT,
    "directory_admin.service": CONTENT,
    "directory_admin.delete_structure": CONTENT,
    "directory_admin.delete_service": CONTENT,
    "directory_admin.structure_preview": CONTENT,
    "directory_admin.service_preview": CONTENT,
    "directory_admin.structure_publish": CONTENT,
    "directory_admin.structure_unpublish": CONTENT,
    "directory_admin.service_publish": CONTENT,
    "directory_admin.service_unpublish": CONTENT,
    "messages_admin.index": {"admin"},
    "messages_admin.detail": {"admin"},
    "messages_admin.resend": {"admin"},
    "messages_admin.preferences": EVERYONE,
    "backoffice.validation_queue": EVERYONE,  # a team sees its own quartiers' items only
    "events_admin.index": EVERYONE,  # a team lists its own quartiers' events only
    "events_admin.create": EVERYONE,  # a team's event waits for validation
    "events_admin.edit": OWN,
    "events_admin.validate": CONTENT,
    "events_admin.send_back": CONTENT,
    "events_admin.cancel": OWN,
    "events_admin.duplicate": OWN,
    "events_admin.report": OWN,
    "events_admin.registrants": OWN,
    "events_admin.registrants_csv": OWN,
    "events_admin.sign_in_sheet": OWN,
    "consultations_admin.index": EVERYONE,  # a team lists its own quartiers' campaigns only
    "consultations_admin.create": CONTENT,
    "consultations_admin.edit": CONTENT,
    "consultations_admin.preview": CONTENT,
    "consultations_admin.publish": CONTENT,
    "consultations_admin.unpublish": CONTENT,
    "consultations_admin.delete": CONTENT,
    "consultations_admin.add_section": CONTENT,
    "consultations_admin.add_question": CONTENT,
    "consultations_admin.edit_question": CONTENT,
    "consultations_admin.delete_question": CONTENT,
    "consultations_admin.codes": CONTENT,
    "consultations_admin.texts": CONTENT,
    "consultations_admin.decide_text": CONTENT,
    "consultations_admin.entry": OWN,
    "consultations_admin.results": OWN,
    "consultations_admin.export_csv": OWN,
    "consultations_admin.export_xlsx": OWN,
    "contributions_admin.index": EVERYONE,  # a team lists its own quartiers' only
    "contributions_admin.record": EVERYONE,  # for someone who phoned or came by
    "contributions_admin.detail": OWN,
    "contributions_admin.publish": OWN,
    "contributions_admin.reject": OWN,
    "contributions_admin.hide": OWN,
    "contributions_admin.answer": OWN,
    "contributions_admin.follow_up": OWN,
    "contributions_admin.duplicate": OWN,
    "contributions_admin.batch": EVERYONE,  # each id is checked against the quartiers
    # One list for every quartier, in words residents read: the project team's, like news.
    "contributions_admin.reasons": CONTENT,
    "contributions_admin.reason_new": CONTENT,
    "contributions_admin.reason_edit": CONTENT,
    "contributions_admin.reason_retire": CONTENT,
    "contributions_admin.reason_restore": CONTENT,
}

_n = count(1)
_event_turn = count()


def admin_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")]


def sample_values(quartier) -> dict:
    """One item of each kind, in `quartier`, named by the URL argument that points at it."""
    n = next(_n)
    article = make_news(slug=f"matrice-{n}", publication_status=PublicationStatus.DRAFT, published_at=None,
                        quartiers=[quartier])
    target = make_user(Role.TEAM, quartiers=[quartier])
    values = {"article_id": article.id, "user_id": target.id, "slug": quartier.slug,
              "key": "passages"}
    for provider in EXTRA_SAMPLES:
        values.update(provider(quartier))
    return values


def _mobile_house_samples(quartier) -> dict:
    from datetime import date

    from tests.mobile_house.factories import cancel, make_visit

    visit = make_visit(quartier, slug=f"matrice-visite-{next(_n)}",
                       starts_on=date(2026, 1, 6), ends_on=date(2030, 6, 30))
    return {"visit_id": visit.id,
            "cancellation_id": cancel(visit, date(2026, 1, 6)).id}


def _works_samples(quartier) -> dict:
    from tests.works.admin_factories import make_site, make_update

    site = make_site(quartier)
    return {"site_id": site.id, "update_id": make_update(site).id}


def _directory_samples(quartier) -> dict:
    from tests.directory.admin_factories import make_service, make_structure

    structure = make_structure()
    return {"structure_id": structure.id, "service_id": make_service(structure).id}


def _events_samples(quartier) -> dict:
    from tests.events.factories import make_event

    # In turn awaiting validation (the return form) and published taking registrations
    # (the staff's registration form): each page shows the forms its state allows.
    if next(_event_turn) % 2:
        return {"event_id": make_event(quartier, publication_status=PublicationStatus.PENDING).id}
    return {"event_id": make_event(quartier, registration=True, capacity=20).id}


def _messages_samples(quartier) -> dict:
    from portal.messages.models import MessageState
    from portal.messages.outbox import enqueue

    message = enqueue(f"matrice-{next(_n)}@example.org", kind="notice",
                      context={"subject": "Matrice", "text": "Un mot."})
    message.state = MessageState.DEAD
    return {"message_id": message.id}


def _consultation_samples(quartier) -> dict:
    from tests.consultations.factories import make_campaign as make_consultation
    from tests.consultations.factories import make_text_answer

    campaign = make_consultation([quartier], questions=("yes", "long"))
    section = campaign.sections[0]
    text = make_text_answer(campaign, "long")
    return {"campaign_id": campaign.id, "section_id": section.id,
            "question_id": section.questions[0].id, "text_id": text.id}
def _contributions_samples(quartier) -> dict:
    from tests.contributions.factories import make_contribution, make_reason

    return {"contribution_id": make_contribution(
        quartier, publication_status=PublicationStatus.PENDING).id,
        "reason_id": make_reason(retired=next(_n) % 2 == 0).id}


# Domains with quartier-scoped items add a provider of sample URL values here.
EXTRA_SAMPLES = [_mobile_house_samples, _works_samples, _directory_samples, _messages_samples,
                 _events_samples, _consultation_samples, _contributions_samples]


def test_every_admin_route_is_in_the_matrix(app):
    endpoints = {r.endpoint for r in admin_rules(app)} - PUBLIC
    assert endpoints == set(EXPECTED), "add the new back-office route to EXPECTED"


def test_every_admin_route_declares_a_permission(app):
    for rule in admin_rules(app):
        view = app.view_functions[rule.endpoint]
        if rule.endpoint not in PUBLIC:
            assert getattr(view, "permission", None) is not None, rule.endpoint


@pytest.fixture
def matrix_app(app, backoffice, monkeypatch):
    # The CSRF check runs before any view: turn it off so each request reaches the permission
    # check (CSRF refusal has its own tests in every form's test module).
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    return app


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_permission_matrix(matrix_app, db, endpoint, nothing_written):
    app = matrix_app
    alma, pile = make_quartier("alma"), make_quartier("pile")
    visitors = {
        "anonymous": None,
        "team_other": make_user(Role.TEAM, quartiers=[pile]),
        "team_own": make_user(Role.TEAM, quartiers=[alma]),
        "project": make_user(Role.PROJECT),
        "admin": make_user(Role.ADMIN),
    }
    for rule in [r for r in admin_rules(app) if r.endpoint == endpoint]:
        check_rule(app, rule, visitors, alma, nothing_written)


def check_rule(app, rule, visitors, quartier, nothing_written):
    """Each visitor on `rule`: refused ones (anonymous, wrong role, other quartier) also
    leave every table as it was."""
    endpoint = rule.endpoint
    method = "GET" if "GET" in rule.methods else "POST"
    for name, user in visitors.items():
        values = sample_values(quartier)  # fresh items: a delete by one visitor spares the next
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        client = app.test_client()
        if user is not None:
            log_in_as(client, user)
        where = f"{name} {method} {url}"
        if name == "anonymous" or name not in EXPECTED[endpoint]:
            with nothing_written():
                response = client.open(url, method=method, data={})
        else:
            response = client.open(url, method=method, data={})
        if name == "anonymous":
            assert response.status_code == 302, where
            assert "/admin/connexion?next=" in response.headers["Location"], where
        elif name in EXPECTED[endpoint]:
            assert response.status_code in {200, 302, 422}, where
            assert "/admin/connexion" not in response.headers.get("Location", ""), where
        else:
            assert response.status_code == 403, where


def test_inactive_account_is_treated_as_anonymous(matrix_app, db):
    client = matrix_app.test_client()
    log_in_as(client, make_user(Role.ADMIN, active=False))
    response = client.get("/admin/comptes/")
    assert response.status_code == 302
