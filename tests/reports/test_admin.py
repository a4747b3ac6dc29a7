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
