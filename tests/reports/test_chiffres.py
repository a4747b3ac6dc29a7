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


def test_participation_and_answers_per_quartier(client, activity):
    html = client.get("/chiffres?annee=2026").get_data(as_text=True)
    alma = html.split(">Alma</a></th>", 1)[1].split("</tr>", 1)[0]
    # 8 answers to Parc and Écoles, 1 held rendez-vous, 2 resolved, median first answer 4 days.
    assert alma == "<td>8</td><td>1</td><td>2</td><td>4.0</td>"
    pile = html.split(">Pile</a></th>", 1)[1].split("</tr>", 1)[0]
    assert pile == "<td>3</td><td>2</td><td>0</td><td>1.0</td>"
    assert "rouverte après « résolu »" in html and "médiane" in html
