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


def test_models_say_which_quartiers_they_belong_to(db, quartiers):
    alma, pile = quartiers["alma"], quartiers["pile"]
    visit, site = make_visit(alma, slug="a"), make_site(pile)
    structure = make_structure()
    service = make_service(structure)
    expected = {
        alma: {alma.id}, visit: {alma.id}, cancel(visit, date(2026, 12, 1)): {alma.id},
        site: {pile.id}, make_update(site): {pile.id},  # a child: its parent's
        make_news(quartiers=[alma, pile]): {alma.id, pile.id},
        make_user(Role.TEAM, quartiers=[pile]): {pile.id},
        service: set(),  # for the whole city
    }
    for item, ids in expected.items():
        assert item.quartier_ids == ids, item
    service.quartiers_tags = ",pile,alma,"  # the directory names them by slug
    assert service.quartier_ids == {alma.id, pile.id}
    assert not hasattr(structure, "quartier_ids")  # a structure belongs to no quartier


def test_every_model_of_a_quartier_has_quartier_ids(app):
    """A model with a quartier column or relationship, or hanging off one that has one, says
    its quartiers itself: the rules and the audit log have no table of special cases."""
    from portal.extensions import db

    mappers = {m.class_: m for m in db.Model.registry.mappers}

    def belongs(cls, seen=()) -> bool:
        attrs = set(mappers[cls].attrs.keys())
        if attrs & {"quartier_id", "quartiers", "quartiers_tags"}:
            return True
        # A parent row's quartiers (an account linked as who decided is no parent).
        return any(rel.direction.name == "MANYTOONE" and rel.mapper.class_ is not User
                   and rel.mapper.class_ not in seen and belongs(rel.mapper.class_, (*seen, cls))
                   for rel in mappers[cls].relationships)

    # The audit log records an item's quartiers; it does not belong to them.
    from portal.backoffice.models import AuditEntry, User

    missing = [cls.__name__ for cls in mappers if cls is not AuditEntry and belongs(cls)
               and not isinstance(getattr(cls, "quartier_ids", None), property)]
    assert missing == []


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
    # The dashboard's blocks and validation queue cost one query each per domain registered
    # (rendez-vous, contributions, consultation texts, messages): 23. The count stays fixed
    # whatever the number of items (above); this bound catches a new block that loops.
    assert max(few.values()) <= 23, few
