"""News list, article, filters, pagination and Atom feed."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from portal.publication import PublicationStatus
from tests.factories import make_news, make_quartier

ATOM = "{http://www.w3.org/2005/Atom}"


def test_list_is_newest_first_and_hides_drafts(client):
    make_news(title="Ancienne", published_at=datetime(2026, 5, 1, tzinfo=UTC))
    make_news(title="Récente", published_at=datetime(2026, 11, 1, tzinfo=UTC))
    make_news(title="Brouillon", publication_status=PublicationStatus.DRAFT)
    html = client.get("/actualites/").get_data(as_text=True)
    assert html.index("Récente") < html.index("Ancienne")
    assert "Brouillon" not in html


def test_list_filters_by_quartier_and_ignores_unknown_values(client):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    make_news(title="Sur Alma", quartiers=[alma])
    make_news(title="Sur Pile", quartiers=[pile])
    html = client.get("/actualites/?quartier=alma").get_data(as_text=True)
    assert "Sur Alma" in html and "Sur Pile" not in html
    html = client.get("/actualites/?quartier=inconnu").get_data(as_text=True)
    assert "Sur Alma" in html and "Sur Pile" in html


def test_pagination_and_bad_page_values(app, client):
    for n in range(app.config["NEWS_PER_PAGE"] + 2):
        make_news(published_at=datetime(2026, 1, 1 + n, tzinfo=UTC))
    assert "Page 1 sur 2" in client.get("/actualites/").get_data(as_text=True)
    assert client.get("/actualites/?page=2").status_code == 200
    assert client.get("/actualites/?page=abc").status_code == 200  # first page
    assert client.get("/actualites/?page=99").status_code == 404
    assert client.get("/actualites/?page=-1").status_code == 404
    assert client.get("/actualites/?page=99999999999999999999").status_code == 404


def test_article_shows_easy_read_first_and_sanitised_body(client):
    make_news(slug="relogement", easy_read="Vous allez déménager. Le bailleur vous aide.",
              body="Texte **important**.\n\n<script>alert(1)</script><a href=\"javascript:x\">x</a>")
    html = client.get("/actualites/relogement").get_data(as_text=True)
    assert html.index("facile à lire") < html.index("<strong>important</strong>")
    assert "<script>alert" not in html and "javascript:" not in html


def test_article_has_news_article_json_ld_and_og_image(client):
    make_news(slug="photo", image_path="chantier.jpg", image_alt="La grue devant l'école")
    html = client.get("/actualites/photo").get_data(as_text=True)
    assert '"@type": "NewsArticle"' in html
    assert 'property="og:image"' in html and 'alt="La grue devant l&#39;école"' in html


def test_unknown_or_draft_article_is_404(client):
    make_news(slug="brouillon", publication_status=PublicationStatus.DRAFT)
    assert client.get("/actualites/brouillon").status_code == 404
    assert client.get("/actualites/nexiste-pas").status_code == 404


def test_atom_feed_is_valid_atom(client):
    make_news(slug="une", title="Une & deux", body="<b>gras</b> et *italique*")
    response = client.get("/actualites/flux.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Une & deux"
    assert entry.find(f"{ATOM}updated").text.endswith("+00:00")
    assert "<b>gras</b>" in entry.find(f"{ATOM}content").text  # escaped HTML, decoded by XML
    assert entry.find(f"{ATOM}link").get("href").endswith("/actualites/une")


def test_arabic_feed_stays_arabic_for_a_reader_without_cookie(app, db):
    make_news(slug="une", title="Une", translations={"ar": {"title": "واحد"}})
    page = app.test_client().get("/actualites/?lang=ar").get_data(as_text=True)
    assert 'href="/actualites/flux.atom?lang=ar"' in page
    feed = ET.fromstring(app.test_client().get("/actualites/flux.atom?lang=ar").data)
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href").endswith("/actualites/flux.atom?lang=ar")
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "واحد"
    assert entry.find(f"{ATOM}link").get("href").endswith("/actualites/une?lang=ar")


def test_control_characters_pasted_in_a_text_never_break_the_feed(client):
    # XML cannot carry a vertical tab or an escape, even escaped: one article would make the
    # whole feed unreadable to every reader.
    make_news(title="Réunion\x0b publique\x1b", summary="Résumé\x0c", body="Texte\x08")
    feed = ET.fromstring(client.get("/actualites/flux.atom").data)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Réunion publique" in titles
