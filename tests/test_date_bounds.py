"""Dates at the calendar's ends (year 1, 9990, 9999): every form, content file and URL that
takes a date answers with a message, never a 500 or a crashed load (issue 11, finding 7)."""

from datetime import date, datetime

import pytest

from portal import calendar
from portal.content import ContentErrors, load_content
from portal.mobile_house.models import Visit
from tests.mobile_house.factories import make_visit
from tests.mobile_house.test_admin import NEW as NEW_VISIT
from tests.mobile_house.test_admin import visit_form
from tests.mobile_house.test_loader import GOOD, write
from tests.test_content import NEWS, QUARTIER
from tests.test_content import write as write_file


@pytest.fixture(autouse=True)
def fixed_clock(frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 10, 0, tzinfo=calendar.PARIS))


@pytest.mark.parametrize("first, last, refused", [
    ("9990-01-01", "9999-12-31", ["starts_on", "ends_on"]),
    ("9990-01-01", "9990-06-30", ["starts_on", "ends_on"]),
    ("9999-12-31", "9999-12-31", ["starts_on", "ends_on"]),
    ("2027-01-06", "9999-12-31", ["ends_on"]),
    ("0001-01-01", "2027-06-30", ["starts_on"]),
    ("0001-01-01", "0001-12-31", ["starts_on", "ends_on"]),
])
@pytest.mark.parametrize("button", [{"preview": "Voir le résumé", "submit": None}, {}])
def test_weekly_visit_dated_at_the_calendar_ends_is_refused_by_the_field(
        project_client, db, quartiers, first, last, refused, button):
    data = visit_form(project_client, quartiers["alma"], kind="weekly", starts_on=first,
                      ends_on=last, **button)
    response = project_client.post(NEW_VISIT, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in refused:
        assert f'id="{field}-erreur"' in html
    assert "entre 2000 et 2100" in html
    assert db.session.scalar(db.select(Visit)) is None


@pytest.mark.parametrize("kind", ["biweekly", "custom", "once"])
def test_other_kinds_of_visit_starting_in_9999_are_refused(project_client, db, quartiers, kind):
    data = visit_form(project_client, quartiers["alma"], kind=kind, custom_rule="FREQ=DAILY",
                      starts_on="9999-12-31", ends_on="9999-12-31")
    assert project_client.post(NEW_VISIT, data=data).status_code == 422


def test_a_refused_date_gets_one_message_not_a_second_about_the_series(project_client, db,
                                                                        quartiers):
    html = project_client.post(NEW_VISIT, data=visit_form(
        project_client, quartiers["alma"], starts_on="2027-01-06",
        ends_on="9999-12-31")).get_data(as_text=True)
    assert "entre 2000 et 2100" in html and "10 ans" not in html


@pytest.mark.parametrize("first, last", [
    (date(9990, 1, 1), date(9999, 12, 31)), (date(9999, 12, 31), date(9999, 12, 31)),
    (date(9992, 2, 29), date(9999, 12, 31)), (date(1, 1, 1), date(9999, 12, 31)),
])
def test_series_length_check_never_overflows(first, last):
    assert calendar.series_too_long(first, last) is (last.year - first.year > 10)


def test_date_arithmetic_stops_at_the_calendars_ends():
    assert calendar.add_years(date(9999, 1, 1), 10) == date.max
    assert calendar.add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert calendar.add_years(date(5, 1, 1), -10) == date.min
    assert calendar.add_days(date(9999, 12, 31), 1) == date.max
    assert calendar.add_days(date(1, 1, 1), -366) == date.min
    assert calendar.add_days(date(2026, 1, 1), 31) == date(2026, 2, 1)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "9990-01-01"])
def test_visit_ics_of_a_day_at_the_calendar_ends_is_not_found(client, db, quartiers, day):
    make_visit(quartiers["alma"], slug="alma-mardi")
    assert client.get(f"/maison-du-projet/visite/alma-mardi/{day}.ics").status_code == 404


@pytest.mark.parametrize("change", [
    ("from: 2026-09-01", "from: 9990-01-01"),
    ("until: 2027-07-03", "until: 9999-12-31"),
    ("from: 2026-09-01", "from: 0001-01-01"),
    ("{date: 2026-12-01", "{date: 9999-12-31"),
])
def test_schedule_file_dated_at_the_calendar_ends_is_a_content_error(db, quartiers, tmp_path,
                                                                     change):
    write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ContentErrors, match="is not between 2000-01-01 and 2100-12-31"):
        load_content(tmp_path)


@pytest.mark.parametrize("published", ["0001-01-01", "0001-01-01 00:00:00", "9999-12-31",
                                       "9999-12-31 23:59:59+00:00", "1999-12-31"])
def test_news_dated_at_the_calendar_ends_is_a_content_error(db, tmp_path, published):
    write_file(tmp_path, "quartiers/alma.md", QUARTIER)
    write_file(tmp_path, "news/une.md", NEWS.format(slug="une").replace(
        "published: 2026-10-14", f"published: {published}"))
    with pytest.raises(ContentErrors, match="news/une.md: published .* is not between "
                                            "2000-01-01 and 2100-12-31"):
        load_content(tmp_path)
