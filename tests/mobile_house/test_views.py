"""Mobile house pages: schedule by day, filters, home and quartier blocks, poster, 404s."""

import re
from datetime import date, datetime, time

import pytest

from portal.clock import PARIS
from tests.factories import make_quartier
from tests.mobile_house.factories import cancel, make_holiday, make_visit

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday


def weeks(client, url: str = "/maison-du-projet/", count: int = 4) -> str:
    """The schedule page and the `count - 1` weeks its "next week" links lead to."""
    pages = []
    for _ in range(count):
        pages.append(client.get(url).get_data(as_text=True))
        url = re.search(r'<a rel="next" href="([^"]+)">', pages[-1]).group(1).replace("&amp;", "&")
    return "\n".join(pages)


@pytest.fixture(autouse=True)
def clock(frozen_clock):
    frozen_clock(NOW)


def test_page_lists_visits_by_day_with_today_first(client):
    alma = make_quartier("alma")
    make_visit(alma, "alma-jeudi", place_name="Square du jeudi", rrule="FREQ=WEEKLY;BYDAY=TH")
    make_visit(alma, "alma-mercredi", place_name="Parvis du mercredi")
    html = client.get("/maison-du-projet/").get_data(as_text=True)
    assert html.index("Aujourd’hui") < html.index("Parvis du mercredi") < html.index("Demain")
    assert html.index("Demain") < html.index("Square du jeudi")
    assert 'id="visite-alma-mercredi-2026-11-25"' in html
    assert 'id="visite-alma-mercredi-2026-12-02"' not in html  # next week: one link away
    html = client.get("/maison-du-projet/?du=2026-12-02").get_data(as_text=True)
    assert 'id="visite-alma-mercredi-2026-12-02"' in html


def test_visit_over_today_is_no_longer_listed(client):
    alma = make_quartier("alma")
    make_visit(alma, "matin", start_time=time(8), end_time=time(9, 30))
    html = weeks(client)
    assert 'id="visite-matin-2026-11-25"' not in html
    assert 'id="visite-matin-2026-12-02"' in html


def test_cancelled_occurrence_is_shown_with_its_reason(client):
    alma = make_quartier("alma")
    visit = make_visit(alma, "alma-mercredi")
    cancel(visit, date(2026, 12, 2), "Réunion publique à l'Hôtel de Ville",
           translations={"en": {"reason": "Public meeting at the Town Hall"}})
    html = weeks(client)
    card = html.split('id="visite-alma-mercredi-2026-12-02"')[1].split("</li>")[0]
    assert "Annulé" in card and "Réunion publique à l&#39;Hôtel de Ville" in card
    assert "visite/alma-mercredi/2026-12-02.ics" not in card  # nothing to add to an agenda
    english = weeks(client, "/maison-du-projet/?lang=en")
    assert "Public meeting at the Town Hall" in english


def test_exception_dates_and_school_holidays_are_not_listed(client):
    alma = make_quartier("alma")
    make_visit(alma, "sauf", exception_dates=["2026-12-02"], skip_school_holidays=True)
    make_holiday(date(2026, 12, 19), date(2027, 1, 3))
    make_holiday(date(2026, 12, 9), date(2026, 12, 10), label="Pont")
    html = weeks(client)
    listed = [d for d in ("11-25", "12-02", "12-09", "12-16", "12-23") if f"sauf-2026-{d}" in html]
    assert listed == ["11-25", "12-16"]


def test_filters_by_quartier_and_theme(client):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    make_visit(alma, "alma-emploi", themes=["emploi"])
    make_visit(pile, "pile-relogement", themes=["relogement"])
    html = client.get("/maison-du-projet/?quartier=pile").get_data(as_text=True)
    assert "pile-relogement" in html and "alma-emploi" not in html
    html = client.get("/maison-du-projet/?theme=emploi").get_data(as_text=True)
    assert "alma-emploi" in html and "pile-relogement" not in html
    html = client.get("/maison-du-projet/?quartier=pile&theme=emploi").get_data(as_text=True)
    assert "Aucun passage" in html


@pytest.mark.parametrize("query", ["?quartier=inconnu", "?theme=%3Cscript%3E", "?quartier=&theme=",
                                   "?quartier=alma&quartier=pile", "?theme=emploi&lang=xx"])
def test_bad_filters_are_ignored(client, query):
    alma = make_quartier("alma")
    make_visit(alma, "alma-mercredi", themes=["emploi"])
    response = client.get("/maison-du-projet/" + query)
    assert response.status_code == 200
    assert "alma-mercredi" in response.get_data(as_text=True)


def test_subscription_links_follow_the_filters(client):
    alma = make_quartier("alma")
    make_visit(alma, "alma-mercredi", themes=["emploi"])
    html = client.get("/maison-du-projet/?quartier=alma&theme=emploi").get_data(as_text=True)
    assert 'href="webcal://localhost/maison-du-projet/alma.ics?theme=emploi"' in html
    assert 'href="/maison-du-projet/alma.ics?theme=emploi"' in html
    assert "se mettent à jour tout seuls" in html
    html = client.get("/maison-du-projet/?lang=ar").get_data(as_text=True)
    assert 'href="webcal://localhost/maison-du-projet.ics?lang=ar"' in html
    assert 'href="/maison-du-projet.ics?lang=ar"' in html


def test_android_phones_get_a_google_calendar_link_and_the_address_to_copy(client):
    make_visit(make_quartier("alma"), "alma-mercredi")
    html = client.get("/maison-du-projet/?quartier=alma&theme=emploi").get_data(as_text=True)
    assert ('href="https://calendar.google.com/calendar/render?cid='
            'webcal%3A%2F%2Flocalhost%2Fmaison-du-projet%2Falma.ics%3Ftheme%3Demploi"') in html
    assert '<code class="feed-address" dir="ltr">http://localhost/maison-du-projet/alma.ics?theme=emploi</code>' in html
    assert "« Google Agenda » sur Android" in html


def test_address_opens_map_app_with_osm_fallback(client):
    alma = make_quartier("alma")
    make_visit(alma, "alma-mercredi", place_name="Parvis", latitude=50.6992, longitude=3.1668)
    html = client.get("/maison-du-projet/").get_data(as_text=True)
    assert 'href="geo:50.6992,3.1668?q=50.6992,3.1668(Parvis)"' in html
    assert "https://www.openstreetmap.org/?mlat=50.6992&amp;mlon=3.1668#map=18/50.6992/3.1668" in html



def test_small_map_numbers_todays_and_next_places_as_the_list(client):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    make_visit(alma, "alma-mercredi", place_name="Parvis", latitude=50.6992, longitude=3.1668)
    make_visit(pile, "pile-jeudi", place_name="Square", latitude=50.6861, longitude=3.1738,
               rrule="FREQ=WEEKLY;BYDAY=TH", themes=["emploi"])
    make_visit(pile, "sans-position", place_name="Salle", latitude=None, longitude=None,
               rrule="FREQ=WEEKLY;BYDAY=FR")
    html = client.get("/maison-du-projet/?quartier=&theme=xx").get_data(as_text=True)
    # Without JavaScript the box stays hidden and the numbered list is the map.
    assert '<figure class="map-box map-box-small" data-map-box hidden>' in html
    assert '<script src="/maison-du-projet/carte.js" defer>' in html
    assert html.index("1. </span>") < html.index("Parvis") < html.index("2. </span>")
    script = client.get("/maison-du-projet/carte.js").get_data(as_text=True)
    assert "1. Parvis (quartier Alma)" in script and "2. Square (quartier Pile)" in script
    assert "Salle" not in script  # no position, no marker: its number stays in the list
    assert "#visite-alma-mercredi-2026-11-25" in script  # the popup leads to the visit's card
    assert "Aujourd\\u2019hui" in script or "Aujourd’hui" in script
    # The map follows the page's filters.
    html = client.get("/maison-du-projet/?theme=emploi").get_data(as_text=True)
    assert '<script src="/maison-du-projet/carte.js?theme=emploi" defer>' in html
    script = client.get("/maison-du-projet/carte.js?theme=emploi").get_data(as_text=True)
    assert "1. Square" in script and "Parvis" not in script
    assert client.get("/maison-du-projet/carte.js?quartier=inconnu").status_code == 200


def test_no_map_when_nothing_is_planned(client):
    make_quartier("alma")
    html = client.get("/maison-du-projet/").get_data(as_text=True)
    assert "map_maison" not in html and "leaflet.js" not in html

def test_home_and_quartier_pages_show_next_visits_today_first(client):
    alma, pile = make_quartier("alma"), make_quartier("pile")
    make_visit(alma, "alma-jeudi", place_name="Square du jeudi", rrule="FREQ=WEEKLY;BYDAY=TH")
    make_visit(pile, "pile-mercredi", place_name="Place du mercredi")
    home = client.get("/").get_data(as_text=True)
    assert home.index("Place du mercredi") < home.index("Square du jeudi")
    assert "Aujourd’hui" in home and "Aucun passage de la Maison Mobile" not in home
    page = client.get("/quartiers/alma").get_data(as_text=True)
    assert "Square du jeudi" in page and "Place du mercredi" not in page
    assert "/maison-du-projet/?quartier=alma" in page


def test_home_block_says_when_nothing_is_planned(client):
    assert "Aucun passage de la Maison Mobile" in client.get("/").get_data(as_text=True)


def test_poster_lists_four_weeks_with_qr_code_and_print_stylesheet(client):
    alma = make_quartier("alma")
    visit = make_visit(alma, "alma-mercredi", place_name="Parvis du mercredi")
    cancel(visit, date(2026, 12, 9))
    html = client.get("/maison-du-projet/affiche/alma").get_data(as_text=True)
    assert html.count('class="poster-visit') == 5  # 25 Nov to 23 Dec
    assert "Camion en panne" in html
    assert 'src="/maison-du-projet/affiche/alma/qr.svg"' in html and 'alt="QR code' in html
    assert "css/poster.css" in html and 'style="' not in html
    svg = client.get("/maison-du-projet/affiche/alma/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data and b"<path" in svg.data


def test_qr_code_encodes_the_quartier_page():
    import qrcode

    from portal import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SERVER_NAME": "quartiers.example", "SITE_URL": "https://quartiers.example",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        from portal.mobile_house.texts import external_url

        url = external_url("mobile_house.index", quartier="alma")
    assert url == "https://quartiers.example/maison-du-projet/?quartier=alma"
    qr = qrcode.QRCode()
    qr.add_data(url)
    assert qr.data_list[0].data == url.encode()


@pytest.mark.parametrize("lang, suffix", [("fr", ""), ("en", "&lang=en"), ("ar", "&lang=ar")])
def test_poster_qr_code_and_address_keep_the_posters_language(client, monkeypatch, lang, suffix):
    """A poster printed in Arabic leads to the Arabic page: a scanned link has no cookie."""
    from portal import qr

    encoded = []
    real_make = qr.qrcode.make
    monkeypatch.setattr(qr.qrcode, "make", lambda data, **kw: encoded.append(data) or real_make(data, **kw))
    make_visit(make_quartier("alma"), "alma-mercredi")
    html = client.get(f"/maison-du-projet/affiche/alma?lang={lang}").get_data(as_text=True)
    page = f"http://localhost/maison-du-projet/?quartier=alma{suffix}"
    assert f'<span class="poster-url">{page.replace("&", "&amp;")}</span>' in html
    qr_src = "/maison-du-projet/affiche/alma/qr.svg" + suffix.replace("&", "?")
    assert f'src="{qr_src.replace("&", "&amp;")}"' in html
    client.delete_cookie("lang")  # the phone scanning the code has none
    client.get(qr_src)
    assert encoded == [page]


@pytest.mark.parametrize("url", ["/maison-du-projet/affiche/nulle-part", "/maison-du-projet/nulle-part.ics",
                                 "/maison-du-projet/affiche/nulle-part/qr.svg",
                                 "/maison-du-projet/visite/inconnue/2026-12-02.ics"])
def test_unknown_quartier_or_visit_is_404(client, url):
    make_quartier("alma")
    assert client.get(url).status_code == 404


def test_page_in_arabic_is_right_to_left_and_translated(client):
    alma = make_quartier("alma", translations={"ar": {"name": "ألما"}})
    make_visit(alma, "alma-mercredi", translations={"ar": {"place_name": "ساحة"}})
    html = client.get("/maison-du-projet/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html and "ساحة" in html
    assert "Aujourd’hui" not in html


def test_page_shows_local_hours_across_the_spring_dst_change(client, frozen_clock):
    frozen_clock(datetime(2027, 3, 24, 9, tzinfo=PARIS))
    alma = make_quartier("alma")
    make_visit(alma, "alma-mardi", rrule="FREQ=WEEKLY;BYDAY=TU")
    html = weeks(client)
    # 28 March 2027: clocks go forward; the Tuesday visit is still at 14:00 Paris time.
    assert '<time datetime="2027-03-30T14:00:00+02:00">de 14 h à 17 h</time>' in html
    assert '<time datetime="2027-04-06T14:00:00+02:00">' in html


def test_schedule_page_costs_the_same_queries_whatever_the_number_of_visits(client,
                                                                           count_queries):
    alma, pile = make_quartier("alma"), make_quartier("pile")

    def queries():
        with count_queries() as statements:
            assert client.get("/maison-du-projet/").status_code == 200
        return len(statements)

    visit = make_visit(alma, "un")
    cancel(visit, date(2026, 12, 2))
    few = queries()
    for n in range(6):
        cancel(make_visit(pile if n % 2 else alma, f"v{n}"), date(2026, 12, 2))
    assert queries() == few <= 8


@pytest.mark.parametrize("url", ["/maison-du-projet/", "/", "/maison-du-projet/affiche/alma"])
def test_hours_read_as_a_french_public_notice(client, url):
    """« de 9 h 30 à 12 h », as the directory writes opening hours."""
    make_visit(make_quartier("alma"), "alma-mercredi", start_time=time(9, 30), end_time=time(12))
    html = client.get(url + "?lang=fr").get_data(as_text=True)
    assert "de 9 h 30 à 12 h" in html and "de 09:30" not in html


@pytest.mark.parametrize("lang, text", [("en", "from 9:30\u202fAM to 12:00\u202fPM"),
                                        ("ar", "من 9:30 ص إلى 12:00 م")])
def test_hours_in_english_and_arabic_keep_their_own_form(client, lang, text):
    make_visit(make_quartier("alma"), "alma-mercredi", start_time=time(9, 30), end_time=time(12))
    assert text in client.get(f"/maison-du-projet/?lang={lang}").get_data(as_text=True)


def test_partners_are_shown_in_the_visitors_language_when_translated(client):
    visit = make_visit(make_quartier("alma"), "alma-mercredi",
                       partners=["Équipe projet", "Chargée de relogement du bailleur"],
                       translations={"ar": {"partners": "فريق المشروع\nمكلّفة إعادة الإسكان"}})
    arabic = client.get("/maison-du-projet/?lang=ar").get_data(as_text=True)
    assert "<bdi>فريق المشروع</bdi>، <bdi>مكلّفة إعادة الإسكان</bdi>" in arabic
    english = client.get("/maison-du-projet/?lang=en").get_data(as_text=True)
    assert '<bdi lang="fr" dir="ltr">Chargée de relogement du bailleur</bdi>' in english
    assert visit.partners == ["Équipe projet", "Chargée de relogement du bailleur"]


@pytest.mark.parametrize("lang, comma, colon", [("fr", ", ", " : "), ("en", ", ", ": "),
                                                ("ar", "، ", ": ")])
def test_punctuation_between_items_follows_the_language(client, lang, comma, colon):
    """Arabic uses its own comma and no space before the colon (translated separators)."""
    visit = make_visit(make_quartier("alma"), "alma-mercredi", partners=["Équipe projet", "CCAS"])
    cancel(visit, date(2026, 12, 2))
    page = weeks(client, f"/maison-du-projet/?lang={lang}", 2)
    french = "" if lang == "fr" else ' lang="fr" dir="ltr"'  # names without a translation
    assert f'<bdi{french}>Équipe projet</bdi>{comma}<bdi{french}>CCAS</bdi>' in page
    assert f"</strong>{colon}<span" in page
    poster = client.get(f"/maison-du-projet/affiche/alma?lang={lang}").get_data(as_text=True)
    assert f"</span>{comma}<bdi lang=\"fr\">Rue de l'Alma" in poster.replace("&#39;", "'")
    assert f"</strong>{colon}<span" in poster
    if lang == "ar":
        assert ", <" not in page + poster and " : " not in page + poster
