"""/admin/bilans/: who may read it, what a team sees, bad input, and the CSV, XLSX and SVG
giving exactly the page's numbers."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from portal.backoffice.models import Role
from tests.backoffice_helpers import log_in_as, make_user

pytest_plugins = ["tests.backoffice_helpers"]

URL = "/admin/bilans/?mois=2026-03"


def table_rows(html: str, key: str) -> list[list[str]]:
    """The body and total rows of the table `key` on the page, as text."""
    section = html.split(f'id="t-{key}"', 1)[1].split("</section>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def test_anonymous_goes_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/connexion" in response.location


def test_project_sees_every_quartier(project_client, march):
    html = project_client.get(URL).get_data(as_text=True)
    assert table_rows(html, "passages") == [
        ["Alma", "4", "2", "1", "20"], ["Épeule", "0", "0", "0", "0"],
        ["Pile", "1", "1", "0", "3"], ["Trois Ponts", "0", "0", "0", "0"],
        ["Total", "5", "3", "1", "23"]]
    assert "saisies par l’équipe à la fin de chaque passage" in html


def test_team_sees_only_its_quartier_even_when_asking_another(team_client, march):
    response = team_client.get(URL + "&quartier=pile")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "pas dans votre périmètre" in html
    assert [row[0] for row in table_rows(html, "passages")] == ["Alma", "Total"]
    assert "Camion en panne" in html


def test_quartiers_can_be_chosen(admin_client, march):
    html = admin_client.get(URL + "&quartier=pile&quartier=inconnu").get_data(as_text=True)
    assert [row[0] for row in table_rows(html, "passages")] == ["Pile", "Total"]


@pytest.mark.parametrize("query", ["du=2026-03-10&au=2026-03-01", "mois=2026-99",
                                   "du=2026-02-31&au=2026-03-01", "annee=0", "trimestre=<b>"])
def test_bad_periods_answer_with_a_message(admin_client, march, query):
    response = admin_client.get("/admin/bilans/?" + query)
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)


def test_csv_equals_the_page(admin_client, march):
    html = admin_client.get(URL).get_data(as_text=True)
    response = admin_client.get("/admin/bilans/passages.csv?mois=2026-03")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                            delimiter=";"))
    assert lines[0] == ["Passages de la Maison Mobile par quartier"]
    assert lines[2][0] == "2026-03-01 – 2026-03-31"
    assert lines[4:] == table_rows(html, "passages")


def test_unknown_table_is_404(admin_client, march):
    assert admin_client.get("/admin/bilans/inconnu.csv").status_code == 404


def test_xlsx_has_one_sheet_per_block_with_the_page_numbers(admin_client, march):
    html = admin_client.get(URL).get_data(as_text=True)
    response = admin_client.get("/admin/bilans/bilan.xlsx?mois=2026-03")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["Participation", "Maison Mobile", "Cadre de vie", "Information"]
    values = [[str(v) for v in row if v is not None]
              for row in book["Maison Mobile"].iter_rows(values_only=True)]
    header = values.index(["Quartier", "Prévus", "Tenus", "Annulés", "Personnes reçues"])
    assert values[header + 1:header + 6] == table_rows(html, "passages")


def test_charts_are_valid_svg_with_title_and_description(admin_client, march):
    html = admin_client.get(URL).get_data(as_text=True)
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", html, re.S)
    assert charts
    for chart in charts:
        root = ET.fromstring(chart)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.get("role") == "img"
        assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text
        assert root.findall(f"{ns}rect")


def test_print_view_names_period_quartiers_and_extraction_day(admin_client, march):
    html = admin_client.get("/admin/bilans/imprimer?mois=2026-03").get_data(as_text=True)
    assert "Extrait le" in html and "1 mars 2026" in html and "Trois Ponts" in html


def test_the_page_costs_a_fixed_number_of_queries(admin_client, march, quartiers,
                                                   count_queries):
    from datetime import date

    from tests.mobile_house.factories import make_visit
    from tests.reports.factories import receive

    admin_client.get(URL)
    with count_queries() as few:
        admin_client.get(URL)
    for n in range(10):
        visit = make_visit(quartiers["epeule"], slug=f"v{n}")
        receive(visit, date(2026, 3, 4), n)
    admin_client.get(URL)  # the commits above expired the session's rows: reload them once
    with count_queries() as many:
        admin_client.get(URL)
    assert len(many) == len(few)


def test_wrong_role_is_refused_without_writing(app, quartiers, nothing_written):
    # Every account may read its bilans; an inactive account may not.
    client = app.test_client()
    log_in_as(client, make_user(Role.ADMIN, active=False))
    with nothing_written():
        assert client.get(URL).status_code == 302


def test_control_characters_and_formulas_do_not_break_the_spreadsheet(admin_client, march):
    from datetime import date

    from tests.mobile_house.factories import cancel

    cancel(march["alma"], date(2026, 3, 25), reason="=HYPERLINK(\"x\")\x07\x1b panne")  # PostgreSQL refuses NUL
    response = admin_client.get("/admin/bilans/bilan.xlsx?mois=2026-03")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    cells = [v for row in book["Maison Mobile"].iter_rows(values_only=True) for v in row]
    assert "'=HYPERLINK(\"x\") panne" in cells


NEW_TABLES = ("reponses", "reponses-par-quartier", "rendez-vous", "accompagnement",
              "contributions", "delais", "partenaires", "abonnes", "messages")


def csv_table(client, key: str, query: str = "mois=2026-03") -> list[list[str]]:
    response = client.get(f"/admin/bilans/{key}.csv?{query}")
    assert response.status_code == 200, key
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                            delimiter=";"))
    return lines[4:]


@pytest.mark.parametrize("key", NEW_TABLES)
def test_every_new_table_gives_the_page_numbers_in_csv(admin_client, activity, key):
    html = admin_client.get(URL).get_data(as_text=True)
    assert csv_table(admin_client, key) == table_rows(html, key)


def test_the_page_shows_the_hand_computed_figures(admin_client, activity):
    html = admin_client.get(URL).get_data(as_text=True)
    assert table_rows(html, "rendez-vous")[0] == ["Alma", "1", "1", "3", "2", "66.7"]
    assert table_rows(html, "rendez-vous")[-1] == ["Total", "3", "1", "5", "17", "66.7"]
    assert table_rows(html, "reponses-par-quartier")[-1] == ["Total", "8"]
    assert table_rows(html, "delais")[-1] == ["Total", "5", "2.0", "2", "11.5"]
    # Each figure's definition is on the page.
    for words in ("une concertation ouverte sur deux mois", "rouverte après « résolu »",
                  "médiane", "transmises depuis plus de 21 jours", "Abonnés : adresses"):
        assert words in html


def number(text: str):
    """A cell as a number when it is one (a workbook reads 50.0 back as 50)."""
    try:
        return float(text)
    except ValueError:
        return text


def test_xlsx_gives_the_page_numbers_of_every_block(admin_client, activity):
    html = admin_client.get(URL).get_data(as_text=True)
    book = load_workbook(io.BytesIO(admin_client.get("/admin/bilans/bilan.xlsx?mois=2026-03")
                                    .data), read_only=True)
    cells = {name: [["" if v is None else str(v) for v in row]
                    for row in book[name].iter_rows(values_only=True)]
             for name in book.sheetnames}
    for sheet, key in (("Participation", "rendez-vous"), ("Participation", "accompagnement"),
                       ("Cadre de vie", "delais"), ("Cadre de vie", "contributions"),
                       ("Information", "abonnes")):
        expected = table_rows(html, key)
        rows = [[c for c in row if c != ""] for row in cells[sheet]]
        expected = [[number(c) for c in row] for row in expected]
        rows = [[number(c) for c in row] for row in rows]
        start = rows.index(expected[0])
        assert rows[start:start + len(expected)] == expected, key


def test_team_sees_only_its_quartier_in_the_new_blocks(team_client, activity):
    html = team_client.get(URL + "&quartier=pile").get_data(as_text=True)
    assert [r[0] for r in table_rows(html, "rendez-vous")] == ["Alma", "Total"]
    assert [r[0] for r in table_rows(html, "reponses")] == ["Parc", "Écoles", "Total"]
    assert table_rows(html, "abonnes") == [["Alma", "2", "1", "2"], ["Total", "2", "1", "2"]]
    assert [r[0] for r in table_rows(html, "delais")] == ["Alma", "Total"]
    csv_rows = csv_table(team_client, "rendez-vous", "mois=2026-03&quartier=pile")
    assert [r[0] for r in csv_rows] == ["Alma", "Total"]


def test_print_view_has_every_block(admin_client, activity):
    html = admin_client.get("/admin/bilans/imprimer?mois=2026-03").get_data(as_text=True)
    for key in ("participation", "maison-mobile", "cadre-de-vie", "information"):
        assert f'id="b-{key}"' in html
    assert 'id="t-delais"' in html and "Télécharger ce tableau" not in html


def test_table_keys_name_the_tables_each_block_gives(app, activity, quartiers):
    from datetime import date

    from portal.reports import report
    from portal.reports.period import Period

    period = Period("mois", date(2026, 3, 1), date(2026, 3, 31))
    with app.test_request_context():
        for block in report.BLOCKS:
            built = block(period, list(quartiers.values()))
            assert tuple(t.key for t in built.tables) == report.TABLE_KEYS[block]


def test_a_csv_builds_only_the_block_of_its_table(admin_client, activity, monkeypatch):
    from portal.reports import report

    built = []

    def counted(block):
        def wrapper(period, quartiers):
            built.append(block)
            return block(period, quartiers)
        return wrapper

    wrapped = {block: counted(block) for block in report.BLOCKS}
    monkeypatch.setattr(report, "BLOCKS", tuple(wrapped.values()))
    monkeypatch.setattr(report, "TABLE_KEYS", {
        wrapper: report.TABLE_KEYS[block] for block, wrapper in wrapped.items()})
    html = admin_client.get(URL).get_data(as_text=True)
    assert len(built) == 4
    built.clear()
    assert csv_table(admin_client, "delais") == table_rows(html, "delais")
    assert built == [report.living.block]
