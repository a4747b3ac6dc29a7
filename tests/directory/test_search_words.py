"""The words residents type: verbs for nouns, plurals, the synonyms of synonyms.py, English and
Arabic words (the labels of thématiques and categories are searchable in every language), and
load-content bringing rows saved under older rules up to date."""

import re

import pytest

from portal.content import load_content
from portal.directory.models import Service
from portal.directory.queries import Filters, search_services
from portal.directory.search import normalise, query_terms, query_words, singular, stem
from tests.directory.factories import make_services

ADMIN = "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
JOBS = "trouver-un-emploi--repondre-a-des-offres-demploi"
HOUSING = "logement-hebergement--louer-un-logement"
BUDGET = "difficultes-financieres--ameliorer-sa-gestion-budgetaire"


def names(client, url: str) -> set[str]:
    """The services listed (an untranslated name carries lang="fr" in en and ar)."""
    html = client.get(url).get_data(as_text=True)
    return set(re.findall(r'<h3><a href="/services/[^"]+"[^>]*>([^<]+)</a></h3>', html))


def test_arabic_letter_variants_and_digits_are_normalised():
    assert normalise("أوراق إدارية") == normalise("اوراق اداريه") == "اوراق اداريه"
    assert normalise("آمنة ٱلمدينة مستشفـــى") == "امنه المدينه مستشفي"
    assert normalise("من ١٦ إلى ٢٥") == "من 16 الي 25"


@pytest.mark.parametrize("verb, noun", [
    ("déménager", "déménagement"), ("inscrire", "inscription"), ("former", "formation"),
    ("reloger", "relogements"), ("démolir", "démolition"),
])
def test_a_verb_and_its_noun_share_a_stem(verb, noun):
    assert stem(normalise(verb)) == stem(normalise(noun))


def test_short_words_and_arabic_words_are_not_stemmed():
    assert stem("caf") == "caf" and stem("aide") == "aide" and stem("emploi") == "emploi"
    assert stem("وظيفه") == "وظيفه" and singular("bus") == "bus"


def test_a_query_stays_one_or_group_per_word():
    groups = query_terms("Docteur pour les papiers")
    assert len(groups) == 2  # "pour" and "les" are ignored
    assert "medecin" in groups[0] and "docteur" in groups[0]
    assert "administrati" in groups[1] and "papi" in groups[1]


@pytest.mark.parametrize("query, found", [
    ("déménager", "Aide au déménagement"),
    ("inscription", "S’inscrire à la mission locale"),
    ("inscrire", "Inscriptions à l’école"),
    ("former", "Centre de formation"),
    ("formation", "Se former au numérique"),
])
def test_verbs_find_nouns_and_nouns_find_verbs(client, query, found):
    make_services({"nom": "Aide au déménagement"}, {"nom": "S’inscrire à la mission locale"},
                  {"nom": "Inscriptions à l’école"}, {"nom": "Centre de formation"},
                  {"nom": "Se former au numérique"}, {"nom": "Cours de cuisine"})
    assert found in names(client, f"/services/?q={query}")
    assert "Cours de cuisine" not in names(client, f"/services/?q={query}")


def test_a_stem_matches_only_at_the_start_of_a_word(client):
    make_services({"nom": "Centre de formation"}, {"nom": "Point information jeunesse"})
    assert names(client, "/services/?q=former") == {"Centre de formation"}


def test_plural_finds_singular(client):
    make_services({"nom": "Médecin généraliste"}, {"nom": "Cours de cuisine"},
                  {"nom": "Help", "npnru": {"translations": {"en": {"nom": "Help with paperwork"}}}})
    assert names(client, "/services/?q=médecins") == {"Médecin généraliste"}
    assert names(client, "/services/?q=generalistes") == {"Médecin généraliste"}
    assert "Help" in names(client, "/services/?q=papers")


@pytest.mark.parametrize("query, found", [
    ("docteur", {"Médecin généraliste"}),
    ("boulot", {"Offres"}),
    ("travail", {"Offres"}),
    ("papiers", {"Démarches"}),
    ("appart", {"Location", "Rendez-vous"}),
    ("apl", {"Rendez-vous"}),
    ("caf", {"Rendez-vous"}),
])
def test_synonyms_find_the_words_services_use(client, query, found):
    make_services(
        {"nom": "Médecin généraliste"}, {"nom": "Offres", "thematiques": [JOBS]},
        {"nom": "Démarches", "thematiques": [ADMIN]}, {"nom": "Location", "thematiques": [HOUSING]},
        {"nom": "Rendez-vous", "thematiques": [BUDGET],
         "description": "Allocations familiales, aide au logement : un conseiller vous reçoit."},
        {"nom": "Écoute", "description": "Nous écoutons vos besoins.",  # not "soins"
         "thematiques": ["remobilisation--lien-social"]},
    )
    assert names(client, f"/services/?q={query}") == found


@pytest.mark.parametrize("query", ["Je dois déménager", "I need a doctor", "أحتاج إلى طبيب"])
def test_a_sentence_is_searched_by_its_meaningful_words(client, query):
    make_services({"nom": "Aide au déménagement", "thematiques": [HOUSING]},
                  {"nom": "Médecin généraliste"}, {"nom": "Cours de cuisine", "thematiques": [JOBS]})
    assert len(names(client, f"/services/?q={query}")) == 1


def test_a_query_of_small_words_only_keeps_them():
    assert query_words("de la") == ["de", "la"]


def test_every_word_of_a_query_must_match_through_one_of_its_synonyms(client):
    make_services({"nom": "Médecin à l’Alma"}, {"nom": "Médecin au Pile"})
    assert names(client, "/services/?q=docteur+alma") == {"Médecin à l’Alma"}
    assert names(client, "/services/?q=docteur+xylophone") == set()


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_english_words_find_english_labels_in_every_language(client, lang):
    make_services({"nom": "Démarches", "thematiques": [ADMIN]},
                  {"nom": "Offres", "thematiques": [JOBS]})
    assert names(client, f"/services/?q=papers&lang={lang}") == {"Démarches"}
    assert names(client, f"/services/?q=procedures&lang={lang}") == {"Démarches"}
    assert names(client, f"/services/?q=job&lang={lang}") == {"Offres"}


@pytest.mark.parametrize("query", ["أوراق", "اوراق", "الأوراق", "إدارية"])
def test_arabic_words_for_papers_find_administrative_help(client, query):
    make_services({"nom": "Démarches", "thematiques": [ADMIN]},
                  {"nom": "Offres", "thematiques": [JOBS]})
    assert names(client, f"/services/?q={query}&lang=ar") == {"Démarches"}


def test_arabic_work_finds_job_services_by_label_and_translation(client):
    make_services(
        {"nom": "Offres", "thematiques": [JOBS]},
        {"nom": "Chantiers", "thematiques": ["choisir-un-metier--connaitre-les-opportunites-demploi"],
         "npnru": {"translations": {"ar": {"nom": "وظائف في الورشات"}}}},
        {"nom": "Démarches", "thematiques": [ADMIN]},
    )
    assert names(client, "/services/?q=عمل") == {"Offres", "Chantiers"}
    assert names(client, "/services/?q=الوظائف") == {"Chantiers"}


def test_arabic_translation_of_a_service_is_found_without_its_hamza(client):
    make_services({"nom": "Cours", "npnru": {"translations": {"ar": {"nom": "دروس الفرنسية للكبار"}}}},
                  {"nom": "Autre"})
    assert names(client, "/services/?q=الفرنسيه") == {"Cours"}
    assert names(client, "/services/?q=فرنسية") == {"Cours"}


def test_synonyms_cost_no_extra_query(db, count_queries):
    make_services({"nom": "Médecin généraliste"}, {"nom": "Offres", "thematiques": [JOBS]})
    with count_queries() as plain:
        assert search_services(Filters(q="medecin")).total == 1
    with count_queries() as expanded:
        assert search_services(Filters(q="docteurs généralistes طبيب")).total == 1
    assert len(expanded) == len(plain)


def test_load_content_refreshes_search_texts_saved_under_older_rules(db, tmp_path):
    make_services({"nom": "Démarches", "thematiques": [ADMIN]})
    service = db.session.scalars(db.select(Service)).one()
    service.search_text = " demarches "  # as written before labels were searched in en/ar
    db.session.commit()
    report = load_content(tmp_path)
    assert "service search texts: 1 updated" in report.summary()
    assert "administrative procedures" in db.session.get(Service, service.id).search_text
    assert not any("search texts" in line for line in load_content(tmp_path).summary())
