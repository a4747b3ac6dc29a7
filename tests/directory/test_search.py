"""Search by words (accents and case ignored) and every filter of /services/, as GET
parameters; unknown values are ignored; no result gives a helpful message."""

import re
from datetime import datetime

import pytest

from portal.clock import PARIS
from portal.directory.models import Service
from portal.directory.queries import Filters, services_for
from portal.directory.search import like_pattern, normalise, query_words
from tests.directory.factories import load, make_services, service_record, structure_record


def names(client, url: str) -> set[str]:
    html = client.get(url).get_data(as_text=True)
    return set(re.findall(r'<h3><a href="/services/[^"]+">([^<]+)</a></h3>', html))


def test_normalise_strips_accents_case_and_punctuation():
    assert normalise("Déménagement À L’ÉPEULE") == "demenagement a l epeule"
    assert normalise("œuvre Ça") == "œuvre ca"
    assert query_words("  a Épeule, CAF!! ") == ["epeule", "caf"]


@pytest.mark.parametrize("query", ["déménagement", "demenagement", "DEMENAGEMENT", "Déménag"])
def test_search_ignores_accents_and_case(client, query):
    make_services({"nom": "Aide au déménagement"}, {"nom": "Cours de cuisine"})
    assert names(client, f"/services/?q={query}") == {"Aide au déménagement"}


def test_search_finds_accented_words_typed_without_accents_in_descriptions(client):
    make_services({"nom": "Permanence", "description": "Pour les locataires de l’Épeule."})
    assert names(client, "/services/?q=epeule") == {"Permanence"}


def test_search_needs_every_word_and_knows_theme_labels(client):
    make_services(
        {"nom": "Relogement Alma", "thematiques": ["logement-hebergement--changer-de-logement"]},
        {"nom": "Relogement Pile", "description": "Quartier du Pile."},
    )
    assert names(client, "/services/?q=relogement+alma") == {"Relogement Alma"}
    # "Changer de logement" is the label of the thématique, not in the service's own words.
    assert names(client, "/services/?q=changer+logement") == {"Relogement Alma"}


def test_search_treats_like_wildcards_as_text(client):
    make_services({"nom": "Atelier budget"})
    assert names(client, "/services/?q=%25") == {"Atelier budget"}  # a lone % is ignored
    assert names(client, "/services/?q=100%25") == set()
    assert like_pattern("a%b_c\\") == "%a\\%b\\_c\\\\%"


def test_no_result_gives_a_helpful_message(client):
    make_services({"nom": "Atelier budget"})
    html = client.get("/services/?q=xylophone").get_data(as_text=True)
    assert "Aucun service ne correspond à votre recherche." in html
    assert "Essayez avec un seul mot" in html and 'href="/services/"' in html


def test_need_entry_point_matches_categories_and_publics(client):
    make_services(
        {"nom": "Relogement", "thematiques": ["logement-hebergement--changer-de-logement"]},
        {"nom": "Loisirs", "thematiques": ["remobilisation--lien-social"], "publics": ["jeunes"]},
        {"nom": "Crèche", "thematiques": ["famille--garde-denfants"]},
        {"nom": "Médecin", "thematiques": ["sante--acces-aux-soins"]},
    )
    assert names(client, "/services/?besoin=relogement") == {"Relogement"}
    assert names(client, "/services/?besoin=enfants") == {"Loisirs", "Crèche"}
    assert names(client, "/services/?besoin=sante") == {"Médecin"}


def test_theme_filter_uses_the_category(client):
    make_services(
        {"nom": "Faire son CV", "thematiques": ["preparer-sa-candidature--valoriser-ses-competences"]},
        {"nom": "Offres", "thematiques": ["trouver-un-emploi--repondre-a-des-offres-demploi"]},
    )
    assert names(client, "/services/?theme=preparer-sa-candidature") == {"Faire son CV"}


def test_public_filter_includes_services_for_everyone(client):
    make_services({"nom": "Jeunes", "publics": ["jeunes"]},
                  {"nom": "Tous", "publics": ["tous-publics"]},
                  {"nom": "Seniors", "publics": ["seniors"]})
    assert names(client, "/services/?public=jeunes") == {"Jeunes", "Tous"}


def test_quartier_filter_lists_local_services_first_then_city_wide_ones(client):
    make_services({"nom": "A ville"}, {"nom": "B Alma", "npnru": {"quartiers": ["alma"]}},
                  {"nom": "C Pile", "npnru": {"quartiers": ["pile"]}})
    html = client.get("/services/?quartier=alma").get_data(as_text=True)
    assert "C Pile" not in html
    assert html.index("B Alma") < html.index("A ville")


def test_frais_and_mode_filters(client):
    make_services({"nom": "Gratuit sur place"},
                  {"nom": "Payant à distance", "frais": "payant", "modes_accueil": ["a-distance"]})
    assert names(client, "/services/?frais=payant") == {"Payant à distance"}
    assert names(client, "/services/?mode=en-presentiel") == {"Gratuit sur place"}
    assert names(client, "/services/?frais=payant&mode=en-presentiel") == set()


@pytest.fixture
def clock(frozen_clock):
    return lambda text: frozen_clock(datetime.fromisoformat(text).replace(tzinfo=PARIS))


@pytest.fixture
def timetable(db):
    structure = structure_record(horaires_accueil="Mo-Fr 09:00-17:00; PH off")
    unreadable = service_record(structure, nom="Illisible", horaires_accueil="Mo 09:00-10:00")
    load([structure], [
        service_record(structure, nom="Semaine"),  # inherits the structure's hours
        service_record(structure, nom="Samedi", horaires_accueil="Sa 09:00-12:00"),
        service_record(structure, nom="Tous les jours", horaires_accueil="Mo-Su 08:00-20:00"),
        unreadable,
    ])
    # Imports now refuse such hours; a row stored before that must still never count as open.
    db.session.get(Service, unreadable["id"]).horaires_accueil = "le matin"
    db.session.commit()


@pytest.mark.parametrize("moment, expected", [
    ("2026-11-25 10:00", {"Semaine", "Tous les jours"}),  # Wednesday
    ("2026-11-28 10:00", {"Samedi", "Tous les jours"}),  # Saturday
    ("2026-11-29 21:00", set()),  # Sunday night
    ("2026-11-11 10:00", {"Tous les jours"}),  # Armistice: PH off closes "Semaine"
])
def test_open_now_filter_at_a_fixed_clock(client, timetable, clock, moment, expected):
    clock(moment)
    assert names(client, "/services/?ouvert=1") == expected


def test_open_now_empty_result_offers_the_closed_ones(client, timetable, clock):
    clock("2026-11-29 21:00")
    html = client.get("/services/?ouvert=1&q=semaine").get_data(as_text=True)
    assert "Voir aussi les services fermés en ce moment" in html
    assert 'href="/services/?q=semaine"' in html


def test_unknown_filter_values_are_ignored(client):
    make_services({"nom": "Premier"}, {"nom": "Second"})
    url = "/services/?theme=x&public=y&frais=z&mode=w&quartier=v&besoin=u&ouvert=peut-etre"
    response = client.get(url)
    assert response.status_code == 200
    assert names(client, url) == {"Premier", "Second"}
    assert Filters.from_args({"theme": "x", "ouvert": "peut-etre"}) == Filters()


def test_pagination_keeps_the_filters(client):
    make_services(*({"nom": f"Service {n:02d}", "frais": "payant"} for n in range(15)),
                  {"nom": "Gratuit"})
    html = client.get("/services/?frais=payant").get_data(as_text=True)
    assert "Page 1 sur 2" in html
    assert 'href="/services/?page=2&amp;frais=payant"' in html
    assert len(names(client, "/services/?frais=payant&page=2")) == 3
    assert client.get("/services/?page=abc").status_code == 200
    assert client.get("/services/?frais=payant&page=9").status_code == 404
    assert client.get("/services/?page=-1").status_code == 404


def test_services_for_serves_quartier_pages_and_mobile_house_themes(db):
    make_services(
        {"nom": "Relogement Alma", "npnru": {"quartiers": ["alma"]},
         "thematiques": ["logement-hebergement--changer-de-logement"]},
        {"nom": "Papiers ville",
         "thematiques": ["difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"]},
        {"nom": "Santé Pile", "npnru": {"quartiers": ["pile"]}},
    )
    assert [s.nom for s in services_for("alma", need="relogement")] == ["Relogement Alma"]
    # The Maison Mobile's "acces-aux-droits" theme is the "papiers" need.
    assert [s.nom for s in services_for(need="acces-aux-droits")] == ["Papiers ville"]
    assert [s.nom for s in services_for("pile", themes=["sante"])] == ["Santé Pile"]
    assert {s.nom for s in services_for("alma")} == {"Relogement Alma", "Papiers ville"}
