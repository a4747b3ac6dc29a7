"""portal/slugs.py: the one way a title becomes a URL word and a new row gets a slug no other
row of its table has, used by news, works, the mobile house and the directory alike."""

import pytest

from portal.directory.models import Structure
from portal.mobile_house.models import Visit
from portal.news.models import NewsArticle
from portal.slugs import SLUG, slugify, unique_slug
from portal.works.models import WorksSite
from tests.factories import make_news, make_quartier
from tests.mobile_house.factories import make_visit
from tests.works.admin_factories import make_site


@pytest.mark.parametrize("text, slug", [
    ("Réunion publique à l’Alma", "reunion-publique-a-l-alma"),
    ("  Épeule : 2e tranche !  ", "epeule-2e-tranche"),
    ("Quai d'Anvers — Trois Ponts", "quai-d-anvers-trois-ponts"),
    ("CAF / CPAM", "caf-cpam"),
])
def test_a_title_becomes_lowercase_ascii_words_joined_by_hyphens(text, slug):
    assert slugify(text, "actualite") == slug
    assert SLUG.match(slug)


def test_a_title_with_nothing_left_gets_the_fallback():
    assert slugify("’ — !", "actualite") == "actualite"
    assert slugify("", "chantier") == "chantier"


def test_a_long_title_is_cut_without_a_trailing_hyphen():
    slug = slugify("mot " * 40, "actualite", max_length=18)
    assert slug == "mot-mot-mot-mot-mo" and len(slug) <= 18
    assert slugify("abcd " * 30, "x", max_length=10) == "abcd-abcd"
    assert len(slugify("a" * 300, "x")) == 100


@pytest.mark.parametrize("text", ["alma", "trois-ponts", "a1-b2"])
def test_slug_pattern_accepts_url_words(text):
    assert SLUG.match(text)


@pytest.mark.parametrize("text", ["Alma", "trois--ponts", "-alma", "alma-", "é", "a b",
                                  "alma\x00", ""])
def test_slug_pattern_refuses_anything_else(text):
    assert not SLUG.match(text)


def test_unique_slug_numbers_a_slug_already_taken_in_its_own_table(db):
    assert unique_slug(NewsArticle.slug, "Fête de quartier", "actualite") == "fete-de-quartier"
    make_news(slug="fete-de-quartier")
    assert unique_slug(NewsArticle.slug, "Fête de quartier", "actualite") == "fete-de-quartier-2"
    make_news(slug="fete-de-quartier-2")
    assert unique_slug(NewsArticle.slug, "Fête de quartier", "actualite") == "fete-de-quartier-3"
    # Another table's slugs are no concern of news.
    alma = make_quartier("alma")
    assert unique_slug(WorksSite.slug, "Fête de quartier", "chantier") == "fete-de-quartier"
    site = make_site(alma)
    assert unique_slug(WorksSite.slug, site.title, "chantier") == f"{site.slug}-2"
    make_visit(alma, slug="alma-place-du-marche")
    assert unique_slug(Visit.slug, "alma Place du marché", "alma") == "alma-place-du-marche-2"


def test_unique_slug_with_a_prefix_checks_the_whole_id(db):
    from tests.directory.admin_factories import make_structure

    structure = make_structure()
    name = structure.id.split("--", 1)[1]
    prefix = structure.id.split("--", 1)[0] + "--"
    assert unique_slug(Structure.id, name, "structure", max_length=80,
                       prefix=prefix) == structure.id + "-2"
    assert unique_slug(Structure.id, "Autre", "structure", prefix=prefix) == prefix + "autre"


def test_no_domain_keeps_its_own_slug_helper():
    from pathlib import Path

    portal = Path(__file__).resolve().parent.parent / "portal"
    for path in portal.rglob("*.py"):
        if path.name == "slugs.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "def slugify" not in text and "def unique_slug" not in text, path
        assert "[a-z0-9]+(?:-[a-z0-9]+)*" not in text, path
