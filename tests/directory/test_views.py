"""The service and structure pages, the quartier block, translations of vocabulary labels,
the sitemap, and a fixed number of queries per page."""

from datetime import datetime

import pytest
from data_inclusion.schema import v1

from portal.clock import PARIS
from portal.directory import vocab
from tests.directory.factories import load, service_record, structure_record
from tests.factories import make_quartier


@pytest.fixture
def relogement(db, frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))  # a Wednesday morning
    structure = structure_record(
        "lmh", nom="Lille Métropole Habitat", adresse="88 rue de l’Alma",
        telephone="+33320000013", courriel="relogement@lmh.example.org",
        accessibilite_lieu="https://acceslibre.beta.gouv.fr/app/59-roubaix/a/x/erp/lmh/",
        npnru={"translations": {"ar": {"nom": "ليل متروبول للسكن"}}})
    load([structure], [
        service_record(
            structure, "relogement", nom="Accompagnement au relogement",
            description="Votre immeuble va être démoli ? Une chargée de relogement vous "
                        "rencontre. Elle vous propose des logements.\n\nLe déménagement est payé.",
            thematiques=["logement-hebergement--changer-de-logement"],
            publics=["residents-qpv-frr"], modes_mobilisation=["telephoner", "se-presenter"],
            mobilisable_par=["usagers"], horaires_accueil="Mo-Fr 09:00-12:00; PH off",
            npnru={"quartiers": ["alma"], "translations": {
                "en": {"nom": "Help with rehousing", "description": "Your building is going."}}},
        ),
        service_record(structure, "permanence", nom="Permanence logement"),
    ])
    return structure


def test_service_page_says_what_for_whom_when_and_how(client, relogement):
    html = client.get("/services/test--relogement").get_data(as_text=True)
    assert html.index("Votre immeuble va être démoli") < html.index("Le déménagement est payé")
    assert "Ouvert maintenant, jusqu’à 12 h" in html
    assert 'href="tel:+33320000013"' in html and "03 20 00 00 13" in html
    assert 'href="mailto:relogement@lmh.example.org"' in html
    assert 'href="geo:50.69,3.18?q=50.69,3.18(Lille%20M%C3%A9tropole%20Habitat)"' in html
    assert "Résidents en QPV ou FRR" in html and "Changer de logement" in html
    assert "Téléphoner" in html and "Se présenter à l’accueil" in html
    assert 'href="/structures/test--lmh"' in html
    assert "acceslibre.beta.gouv.fr" in html


def test_service_page_in_english_and_arabic(client, relogement):
    english = client.get("/services/test--relogement?lang=en").get_data(as_text=True)
    assert "Help with rehousing" in english and "Open now, until 12:00" in english
    assert "Move to another home" in english  # the thématique label, translated
    arabic = client.get("/services/test--relogement?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "تغيير المسكن" in arabic and "مفتوح الآن" in arabic
    assert "ليل متروبول للسكن" in arabic
    # No Arabic translation of the service: French shown, marked as French.
    assert '<h1 lang="fr" dir="ltr">Accompagnement au relogement</h1>' in arabic
    assert "هذا النص غير مترجم بعد" in arabic
    # The French address keeps its order in a right-to-left page.
    assert '<bdi lang="fr">88 rue de l’Alma</bdi>' in arabic


def test_structure_page_lists_its_services(client, relogement):
    html = client.get("/structures/test--lmh").get_data(as_text=True)
    assert "Accompagnement au relogement" in html and "Permanence logement" in html
    assert 'href="tel:+33320000013"' in html


def test_unknown_service_or_structure_is_404(client, db):
    assert client.get("/services/nexiste-pas").status_code == 404
    assert client.get("/structures/nexiste-pas").status_code == 404


def test_quartier_page_links_to_the_services_of_the_quartier(client, relogement):
    make_quartier("alma")
    make_quartier("pile")
    html = client.get("/quartiers/alma").get_data(as_text=True)
    assert "Qui peut m’aider dans le quartier ?" in html
    assert 'href="/services/test--relogement"' in html
    assert 'href="/services/?quartier=alma"' in html
    pile = client.get("/quartiers/pile").get_data(as_text=True)
    assert "Aucun service n’est installé dans ce quartier" in pile


def test_sitemap_lists_services_and_structures(client, relogement):
    xml = client.get("/sitemap-1.xml").get_data(as_text=True)
    assert "/services/test--relogement" in xml and "/structures/test--lmh" in xml


def test_pages_cost_a_fixed_number_of_queries(client, relogement, count_queries):
    structure = structure_record("autre")
    load([structure], [service_record(structure) for _ in range(8)])
    with count_queries() as few:
        client.get("/services/")
    more = structure_record("encore")
    load([more], [service_record(more) for _ in range(8)])
    with count_queries() as many:
        client.get("/services/")
    assert len(many) == len(few) <= 5
    with count_queries() as statements:
        client.get("/structures/test--lmh")
    assert len(statements) <= 3


@pytest.mark.parametrize("vocabulary, enum", [
    (vocab.CATEGORIES, v1.Categorie), (vocab.THEMATIQUES, v1.Thematique),
    (vocab.PUBLICS, v1.Public), (vocab.FRAIS, v1.Frais), (vocab.MODES_ACCUEIL, v1.ModeAccueil),
    (vocab.MODES_MOBILISATION, v1.ModeMobilisation),
    (vocab.MOBILISABLE_PAR, v1.PersonneMobilisatrice), (vocab.TYPES, v1.TypeService),
])
def test_every_schema_value_has_a_translated_label(app, vocabulary, enum):
    assert set(vocabulary) == {member.value for member in enum}
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("ar"):
        untranslated = [v for v, label in vocabulary.items() if str(label) == enum(v).label]
    assert untranslated == []


def test_needs_point_at_real_categories_and_thematiques():
    known = {m.value for m in v1.Categorie} | {m.value for m in v1.Thematique}
    for need in vocab.NEEDS.values():
        assert set(need.themes) <= known, need.key
        assert set(need.publics) <= {m.value for m in v1.Public}


def test_mobile_house_visits_link_to_the_matching_services(client, db, frozen_clock):
    from tests.mobile_house.factories import make_visit

    frozen_clock(datetime(2026, 11, 25, 8, 0, tzinfo=PARIS))
    alma = make_quartier("alma")
    make_visit(alma, themes=["relogement", "cadre-de-vie"])
    html = client.get("/maison-du-projet/").get_data(as_text=True)
    assert 'href="/services/?besoin=relogement&amp;quartier=alma"' in html
    assert "besoin=cadre" not in html  # no need matches "cadre de vie"


def test_home_page_offers_the_needs_entry_points(client, db):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/services/?besoin=relogement"' in html
    assert "J’ai besoin d’aide pour mes papiers" in html


@pytest.mark.parametrize("url", ["/services/%00", "/structures/a%00b", "/services/?q=%00",
                                 "/services/?theme=%00&quartier=%00&besoin=%00"])
def test_hostile_urls_never_fail(client, db, url):
    assert client.get(url).status_code in (200, 400, 404)


def test_active_filters_are_listed_and_each_removable(client, relogement):
    html = client.get("/services/?q=relogement&frais=gratuit&ouvert=1").get_data(as_text=True)
    chips = html.split('class="active-filters"')[1].split("</ul>")[0]
    assert "« relogement »" in chips and "Gratuit" in chips and "Ouvert maintenant" in chips
    assert 'href="/services/?frais=gratuit&amp;ouvert=1"' in chips  # the word removed
    assert 'href="/services/?q=relogement&amp;frais=gratuit"' in chips  # "open now" removed
    assert 'href="#recherche"' in html
    assert "active-filters" not in client.get("/services/").get_data(as_text=True)


def test_export_goes_by_pages_with_links(client, monkeypatch, db):
    """The data·inclusion export answers a page at a time, like the national API."""
    from portal.directory import views
    from tests.directory.factories import load, service_record, structure_record

    monkeypatch.setattr(views, "EXPORT_PAGE_SIZE", 2)
    structure = structure_record()
    records = [service_record(structure, f"service-{n}") for n in range(5)]
    load([structure], records)
    ids = sorted(record["id"] for record in records)
    first = client.get("/donnees/services.json")
    assert first.headers["X-Total-Count"] == "5"
    assert 'page=2>; rel="next"' in first.headers["Link"] and "prev" not in first.headers["Link"]
    seen = [record["id"] for record in first.get_json()]
    for page in (2, 3):
        response = client.get(f"/donnees/services.json?page={page}")
        seen += [record["id"] for record in response.get_json()]
    assert seen == ids and len(response.get_json()) == 1
    assert 'rel="prev"' in response.headers["Link"] and "next" not in response.headers["Link"]
    assert client.get("/donnees/services.json?page=4").status_code == 404


def test_search_finding_nothing_suggests_dropping_a_word(client, db):
    """Every word must match: "déménager caf" finds nothing, "déménager" alone does."""
    from tests.directory.factories import make_services

    make_services({"nom": "Aide au déménagement", "description": "Un coup de main pour partir."})
    html = client.get("/services/?q=d%C3%A9m%C3%A9nager+caf").get_data(as_text=True)
    assert "Aucun service ne correspond à votre recherche." in html
    assert "/services/?q=d%C3%A9m%C3%A9nager" in html
    assert "Chercher « déménager » : 1 service" in html
    assert "Chercher « caf »" not in html
