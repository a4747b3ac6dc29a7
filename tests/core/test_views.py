"""Home, quartier pages, languages, legal pages, machine files, headers and errors."""

import gzip
import re

from tests.factories import make_news, make_quartier


def test_home_shows_quartiers_news_and_empty_blocks(client):
    make_quartier("alma")
    make_news(title="Démolition rue de l'Alma")
    html = client.get("/").get_data(as_text=True)
    assert "Alma" in html and "Démolition rue de l&#39;Alma" in html
    assert "Aucun passage de la Maison Mobile" in html
    assert "Aucune concertation n’est ouverte" in html or "Aucune concertation n'est ouverte" in html


def test_quartier_page_shows_its_figures_and_news(client):
    alma = make_quartier("alma", figures=[{"value": "≈ 6 500", "label": "habitants"}],
                         body="## Ce qui change\n\nDes logements neufs.")
    pile = make_quartier("pile")
    make_news(title="Nouvelles de l'Alma", quartiers=[alma])
    make_news(title="Nouvelles du Pile", quartiers=[pile])
    html = client.get("/quartiers/alma").get_data(as_text=True)
    assert "≈ 6 500" in html and "habitants" in html
    assert "<h3>Ce qui change</h3>" in html  # editor headings sit under the page's h2
    assert "Nouvelles de l&#39;Alma" in html and "Nouvelles du Pile" not in html


def test_unknown_quartier_is_404_in_the_visitors_language(client):
    response = client.get("/quartiers/roubaix-nord?lang=en")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_lang_parameter_switches_and_is_remembered(client):
    make_quartier("alma")
    response = client.get("/?lang=ar")
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "lang=ar" in response.headers["Set-Cookie"]
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in client.get("/?lang=fr").get_data(as_text=True)


def test_accept_language_is_the_first_guess(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html


def test_unknown_lang_value_is_ignored(client):
    response = client.get("/?lang=xx")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.get_data(as_text=True)


def test_untranslated_content_falls_back_to_french_and_says_so(client):
    make_quartier("alma", body="Texte seulement en français.", translations={"en": {"name": "Alma"}})
    html = client.get("/quartiers/alma?lang=en").get_data(as_text=True)
    assert "Texte seulement en français." in html
    assert "not yet translated" in html
    assert 'lang="fr" dir="ltr"' in html


def test_translated_content_is_shown(client):
    make_quartier("alma", summary="Résumé", translations={"ar": {"summary": "ملخص الحي"}})
    assert "ملخص الحي" in client.get("/quartiers/alma?lang=ar").get_data(as_text=True)


def test_legal_pages_exist_and_accessibility_statement_has_its_parts(client):
    for path in ("/donnees-personnelles", "/mentions-legales", "/plan-du-site"):
        assert client.get(path).status_code == 200, path
    html = client.get("/accessibilite").get_data(as_text=True)
    for part in ("RGAA", "4.1.2", "non conforme", "axe-core", "Contenus non accessibles",
                 "Défenseur des droits", "mailto:"):
        assert part in html, part


def test_map_tile_server_is_named_in_privacy_page(app, client):
    assert "tile.openstreetmap.fr" in client.get("/donnees-personnelles").get_data(as_text=True)


def test_machine_files(client):
    make_quartier("alma")
    make_news(slug="chantier-ouvert")
    index = client.get("/sitemap.xml")
    assert index.mimetype == "application/xml"
    assert "<sitemap><loc>http://localhost/sitemap-1.xml</loc></sitemap>" in index.get_data(
        as_text=True)
    body = client.get("/sitemap-1.xml").get_data(as_text=True)
    assert "/quartiers/alma</loc>" in body and "/actualites/chantier-ouvert</loc>" in body
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /admin/" in robots and "Sitemap:" in robots
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_security_headers_on_every_response(client):
    for path in ("/", "/nope", "/robots.txt", "/static/css/portal.css"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
        assert "camera=()" in headers["Permissions-Policy"]


def test_session_cookie_settings(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_pages_are_gzip_compressed(client):
    make_quartier("alma")
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.data)


def test_static_urls_are_versioned(client):
    html = client.get("/").get_data(as_text=True)
    assert "/static/css/portal.css?v=" in html


def test_every_page_has_sharing_metadata(client):
    make_quartier("alma")
    for path in ("/", "/quartiers/alma", "/actualites/", "/accessibilite"):
        html = client.get(path).get_data(as_text=True)
        for tag in ('<meta name="description"', 'property="og:title"', 'property="og:description"',
                    'property="og:url"', "<title>"):
            assert tag in html, (path, tag)



def test_shared_links_keep_their_language(client):
    make_quartier("alma")
    html = client.get("/quartiers/alma?lang=ar").get_data(as_text=True)
    assert '<meta property="og:url" content="http://localhost/quartiers/alma?lang=ar">' in html
    assert '<link rel="canonical" href="http://localhost/quartiers/alma?lang=ar">' in html
    assert '<link rel="alternate" hreflang="en" href="http://localhost/quartiers/alma?lang=en">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/quartiers/alma">' in html
    french = client.get("/quartiers/alma?lang=fr").get_data(as_text=True)
    assert '<meta property="og:url" content="http://localhost/quartiers/alma">' in french
    missing = client.get("/quartiers/nulle-part").get_data(as_text=True)  # an error page too
    assert 'rel="canonical" href="http://localhost/quartiers/nulle-part' in missing


def test_absolute_links_use_site_url_behind_a_proxy(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://quartiers.roubaix.example")
    make_quartier("alma")
    make_news(slug="une")
    home = client.get("/").get_data(as_text=True)
    assert 'property="og:url" content="https://quartiers.roubaix.example/"' in home
    feed = client.get("/actualites/flux.atom").get_data(as_text=True)
    assert "<id>https://quartiers.roubaix.example/actualites/</id>" in feed
    assert 'href="https://quartiers.roubaix.example/actualites/une"' in feed
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    sitemap += client.get("/sitemap-1.xml").get_data(as_text=True)
    assert "<loc>https://quartiers.roubaix.example/quartiers/alma</loc>" in sitemap
    assert "http://localhost" not in feed + sitemap + home

def test_no_inline_styles_or_scripts_in_pages(client):
    make_quartier("alma")
    make_news(slug="a")
    for path in ("/", "/quartiers/alma", "/actualites/", "/actualites/a"):
        html = client.get(path).get_data(as_text=True)
        assert ' style="' not in html
        for script in html.split("<script")[1:]:
            assert 'type="application/ld+json"' in script.split(">")[0] or " src=" in script.split(">")[0]


def test_nul_bytes_in_url_are_refused_not_crashing(client):
    make_quartier("alma")
    assert client.get("/actualites/a%00b").status_code == 400
    assert client.get("/actualites/?quartier=al%00ma").status_code == 400


def test_sitemap_is_an_index_of_parts_of_at_most_part_size_urls(client, monkeypatch):
    from portal.core import sitemap

    monkeypatch.setattr(sitemap, "PART_SIZE", 5)
    make_quartier("alma")
    for n in range(7):
        make_news(slug=f"article-{n}")
    index = client.get("/sitemap.xml").get_data(as_text=True)
    parts = re.findall(r"<sitemap><loc>http://localhost(/sitemap-\d+\.xml)</loc>", index)
    assert parts and parts == [f"/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    urls = []
    for part in parts:
        found = re.findall(r"<url><loc>([^<]+)</loc>", client.get(part).get_data(as_text=True))
        assert 1 <= len(found) <= 5
        urls += found
    assert len(urls) == len(set(urls))
    assert sum("/actualites/article-" in url for url in urls) == 7
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404
    assert client.get(f"/sitemap-{10 ** 30}.xml").status_code == 404
