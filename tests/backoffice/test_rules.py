"""Permission predicates compose like the rules they stand for; pages cost few queries."""

from datetime import date

from portal.backoffice.models import Role
from portal.backoffice.rules import in_own_quartier, is_admin, is_project, is_team
from portal.mobile_house.rules import can_cancel_visit, can_edit_visit
from portal.news.rules import can_edit_news
from portal.publication import PublicationStatus
from tests.backoffice_helpers import make_user
from tests.directory.admin_factories import make_service, make_structure
from tests.factories import make_news
from tests.mobile_house.factories import cancel, make_visit
from tests.works.admin_factories import make_site, make_update


def test_predicates_compose(db, quartiers):
    alma, pile = quartiers["alma"], quartiers["pile"]
    admin, project = make_user(Role.ADMIN), make_user(Role.PROJECT)
    team = make_user(Role.TEAM, quartiers=[alma])
    visit_alma, visit_pile = make_visit(alma, slug="a"), make_visit(pile, slug="p")
    assert can_cancel_visit(team, visit_alma) and not can_cancel_visit(team, visit_pile)
    assert can_cancel_visit(project, visit_pile) and can_cancel_visit(admin, visit_pile)
    assert not can_edit_visit(team, visit_alma) and can_edit_visit(project, visit_alma)
    # An item hanging off a visit belongs to the visit's quartier.
    assert in_own_quartier(team, cancel(visit_alma, date(2026, 12, 1)))
    assert not in_own_quartier(team, cancel(visit_pile, date(2026, 12, 3)))
    # News on two quartiers is "own" only when both are the team's.
    both = make_news(quartiers=[alma, pile])
    assert not in_own_quartier(team, both)
    assert not (~is_team)(team) and (~is_team)(admin)
    assert (is_admin | is_project).name == "(is_admin | is_project)"
    assert not can_edit_news(None) and not can_edit_news(make_user(Role.ADMIN, active=False))


def test_admin_lists_cost_a_fixed_number_of_queries(admin_client, db, quartiers,
                                                    count_queries):
    """No N+1: a list or the dashboard costs as many queries for 9 items as for 1."""
    urls = ("/admin/actualites/", "/admin/maison-du-projet/", "/admin/", "/admin/journal",
            "/admin/chantiers/", "/admin/offre/")

    def add_items(first: int, last: int) -> None:
        for n in range(first, last):
            make_news(slug=f"n{n}", quartiers=[quartiers["alma"], quartiers["pile"]])
            visit = make_visit(quartiers["alma"], slug=f"v{n}")
            cancel(visit, date(2026, 12, 2))
            make_update(make_site(quartiers["pile"],
                                publication_status=PublicationStatus.DRAFT))
            make_service(make_structure())

    def costs() -> dict[str, int]:
        counted = {}
        for url in urls:
            with count_queries() as statements:
                assert admin_client.get(url).status_code == 200
            counted[url] = len(statements)
        return counted

    add_items(0, 1)
    few = costs()
    add_items(1, 9)
    assert costs() == few
    assert max(few.values()) <= 20, few
