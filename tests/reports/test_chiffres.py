"""/chiffres: per quartier, the passages held and people received of a year, with how they
are counted; any ?annee= gives a page."""

pytest_plugins = ["tests.backoffice_helpers"]



def test_figures_per_quartier(client, march):
    html = client.get("/chiffres?annee=2026").get_data(as_text=True)
    assert "<td>1</td><td>3</td>" in html  # Pile's one-off passage, 3 people
    assert "saisies par l’équipe à la fin de chaque passage" in html
    assert "<td>9</td>" not in client.get("/chiffres?annee=2025").get_data(as_text=True)


def test_year_totals_come_from_the_same_figures(client, march):
    html = client.get("/chiffres").get_data(as_text=True)
    # Alma on 20 March: 11 Wednesdays passed, 2 cancelled, 9 held; 25 people.
    assert "<td>9</td><td>25</td>" in html


def test_any_year_gives_a_page(client, march):
    for value in ("1900", "abc", "99999999999999", "2026-01"):
        assert client.get(f"/chiffres?annee={value}").status_code == 200
