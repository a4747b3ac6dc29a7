"""load-content: idempotent upserts, errors with where and what, nothing half-written."""

import textwrap

import pytest

from portal.content import ContentErrors, load_content
from portal.news.models import NewsArticle
from portal.quartiers import Quartier

QUARTIER = """\
---
# Contenu de démonstration
demo: true
slug: alma
name: Alma
order: 1
summary: "Le quartier change."
center: [50.69, 3.17]
figures:
  - value: "≈ 6 500"
    label: habitants
translations:
  en:
    name: Alma
    figures: [residents]
---
## Le projet

Des logements neufs.
"""

NEWS = """\
---
demo: true
slug: {slug}
title: "Une actualité"
published: 2026-10-14
quartiers: [alma]
summary: "Résumé."
translations:
  ar:
    title: "خبر"
---
Le texte.
"""


def _without_translations(text: str) -> str:
    """The file without its (last, indented) translations block."""
    head, _, rest = text.partition("translations:\n")
    return head + rest[rest.index("---"):]


def write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path):
    write(tmp_path, "quartiers/alma.md", QUARTIER)
    write(tmp_path, "news/une.md", NEWS.format(slug="une-actualite"))
    return tmp_path


def test_load_creates_then_changes_nothing(db, content):
    first = load_content(content)
    assert first.counts[("quartiers", "created")] == 1 and first.counts[("news", "created")] == 1
    article = db.session.scalar(db.select(NewsArticle))
    assert article.quartiers[0].slug == "alma" and article.translations["ar"]["title"] == "خبر"
    stamp = article.updated_at
    second = load_content(content)
    assert second.counts[("news", "unchanged")] == 1 and second.counts[("quartiers", "unchanged")] == 1
    assert not any(outcome != "unchanged" for _, outcome in second.counts)
    assert db.session.scalar(db.select(NewsArticle)).updated_at == stamp
    assert db.session.query(NewsArticle).count() == 1


def test_changed_file_updates_its_row(db, content):
    load_content(content)
    write(content, "news/une.md", NEWS.format(slug="une-actualite").replace("Le texte.", "Nouveau."))
    report = load_content(content)
    assert report.counts[("news", "updated")] == 1
    assert db.session.scalar(db.select(NewsArticle)).body == "Nouveau."



def test_removed_file_removes_its_article_but_not_back_office_ones(db, content):
    from tests.factories import make_news

    write(content, "news/deux.md", NEWS.format(slug="deuxieme"))
    load_content(content)
    make_news("ecrite-au-bureau")  # created in the back office: no source file
    (content / "news" / "deux.md").unlink()
    report = load_content(content)
    assert report.counts[("news", "removed")] == 1
    assert "news: 1 unchanged, 1 removed" in report.summary()
    slugs = set(db.session.scalars(db.select(NewsArticle.slug)))
    assert slugs == {"une-actualite", "ecrite-au-bureau"}


def test_missing_news_folder_removes_nothing(db, content):
    load_content(content)
    (content / "news" / "une.md").unlink()
    (content / "news").rmdir()  # a wrong CONTENT_DIR, not an editorial choice
    load_content(content)
    assert db.session.query(NewsArticle).count() == 1


def test_nothing_is_removed_when_another_file_has_an_error(db, content):
    write(content, "news/deux.md", NEWS.format(slug="deuxieme"))
    load_content(content)
    (content / "news" / "deux.md").unlink()
    write(content, "news/casse.md", "---\nslug: casse\ntitle: [pas fermé\n---\nTexte\n")
    with pytest.raises(ContentErrors):
        load_content(content)
    assert db.session.query(NewsArticle).count() == 2

def test_malformed_yaml_is_reported_with_path_and_line_and_nothing_is_written(db, content):
    write(content, "news/casse.md", "---\nslug: casse\ntitle: [pas fermé\n---\nTexte\n")
    with pytest.raises(ContentErrors) as raised:
        load_content(content)
    message = str(raised.value)
    assert "news/casse.md:" in message and "invalid YAML" in message
    assert db.session.query(Quartier).count() == 0  # the valid files were not half-loaded
    assert db.session.query(NewsArticle).count() == 0


@pytest.mark.parametrize("broken, expected", [
    ("slug: {slug}\n", "missing required field(s): title"),
    ("quartiers: [roubaix-centre]\n", "unknown quartier(s): roubaix-centre"),
    ("published: demain\n", "is not a date"),
    ("image: {{file: photo.jpg}}\n", "alt"),
    ("image: {{file: absente.jpg, alt: Une photo}}\n", "image file 'absente.jpg' is not in"),
    ("published: 2026-13-45\n", "invalid value in the front matter"),
    ("quartiers: [[alma]]\n", "quartiers must be a list of slugs"),
    ("translations: {{en: hello}}\n", "translations must map a language to its fields"),
    ("translations: {{es: {{title: Noticia}}}}\n", "unknown language(s) es"),
])
def test_each_news_problem_is_named(db, content, broken, expected):
    text = NEWS.format(slug="deux")
    key = broken.split(":")[0]
    text = _without_translations(text) if key == "translations" else text
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith(key + ":")]
    if key == "slug":
        lines = [line for line in lines if not line.startswith("title:")]
    lines.insert(2, broken.format(slug="deux"))
    write(content, "news/deux.md", "".join(lines))
    with pytest.raises(ContentErrors) as raised:
        load_content(content)
    assert any(expected in str(e) and e.path == "news/deux.md" for e in raised.value.errors)


def test_missing_front_matter_is_reported(db, content):
    write(content, "quartiers/pile.md", "Pile sans en-tête\n")
    with pytest.raises(ContentErrors, match=r"quartiers/pile.md:1: the file must start"):
        load_content(content)


def test_every_problem_is_listed_in_one_run(db, content):
    write(content, "quartiers/pile.md", "Pas d'en-tête\n")
    write(content, "news/x.md", "---\nslug: x\n---\n")
    with pytest.raises(ContentErrors) as raised:
        load_content(content)
    assert {e.path for e in raised.value.errors} == {"quartiers/pile.md", "news/x.md"}


def test_cli_reports_errors_and_exits_non_zero(app, db, content):
    write(content, "news/x.md", "---\nslug: x\n---\n")
    result = app.test_cli_runner().invoke(args=["load-content", "--path", str(content)])
    assert result.exit_code == 1
    assert "news/x.md: missing required field(s)" in result.output
    ok = app.test_cli_runner().invoke(args=["load-content", "--path", str(content / "quartiers")])
    assert ok.exit_code == 0


def test_demo_content_loads_cleanly(demo_content, db):
    """The shipped content/ is valid and has the four quartiers and six news items at least."""
    slugs = {q.slug for q in db.session.scalars(db.select(Quartier))}
    assert slugs == {"alma", "epeule", "pile", "trois-ponts"}
    assert db.session.query(NewsArticle).count() >= 6
    assert load_content().counts[("news", "created")] == 0


def test_demo_schedule_is_never_empty_until_mid_2028(demo_content, db):
    """The programme runs for years: a demo visited any day until July 2028 shows visits
    in its next four weeks (the home page's window)."""
    from datetime import date, timedelta

    from portal.mobile_house import queries

    day = date(2026, 9, 1)
    while day <= date(2028, 6, 3):
        assert queries.occurrences(day, day + timedelta(days=28)), day
        day += timedelta(days=7)



@pytest.mark.parametrize("broken, expected", [
    ("order: first\n", "order 'first' must be a whole number"),
    ("translations: {en: hello}\n", "translations must map a language to its fields"),
])
def test_each_quartier_problem_is_named(db, content, broken, expected):
    text = _without_translations(QUARTIER) if broken.startswith("translations") else QUARTIER
    lines = [line for line in text.splitlines(keepends=True)
             if not line.startswith(broken.split(":")[0] + ":")]
    lines.insert(2, broken)
    write(content, "quartiers/alma.md", "".join(lines))
    with pytest.raises(ContentErrors) as raised:
        load_content(content)
    assert any(expected in str(e) and e.path == "quartiers/alma.md" for e in raised.value.errors)


def test_one_quartier_alone_needs_no_list(db, content):
    write(content, "news/une.md", NEWS.format(slug="une-actualite").replace(
        "quartiers: [alma]", "quartiers: alma"))
    load_content(content)
    assert db.session.scalar(db.select(NewsArticle)).quartiers[0].slug == "alma"


def test_two_files_with_one_slug_are_reported(db, content):
    write(content, "news/copie.md", NEWS.format(slug="une-actualite"))
    with pytest.raises(ContentErrors, match=r"news/une.md: slug 'une-actualite' is already used "
                                            r"by copie.md"):
        load_content(content)


def test_a_file_never_overwrites_a_back_office_item(db, content):
    from tests.factories import make_news

    make_news("une-actualite", title="Écrite au bureau")
    with pytest.raises(ContentErrors, match=r"news/une.md: news: slug 'une-actualite' is already "
                                            r"used by an item created in the back office"):
        load_content(content)
    assert db.session.scalar(db.select(NewsArticle)).title == "Écrite au bureau"
