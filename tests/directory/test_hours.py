"""Opening hours: OSM syntax read by opening-hours-py in Europe/Paris with French public
holidays, and said in plain words in the visitor's language."""

from datetime import datetime

import pytest
from flask_babel import force_locale

from portal.calendar import PARIS
from portal.directory import hours

OFFICE = "Mo-Fr 09:00-12:00,13:30-17:00; PH off"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.mark.parametrize("moment, expected", [
    ("2026-11-25 10:00", True),  # Wednesday morning
    ("2026-11-25 12:30", False),  # lunch break
    ("2026-11-25 17:00", False),  # closing time is closed
    ("2026-11-28 10:00", False),  # Saturday
    ("2026-11-29 10:00", False),  # Sunday
    ("2026-11-11 10:00", False),  # Armistice, a Wednesday: PH off
    ("2026-07-14 10:00", False),  # Fête nationale, a Tuesday
    ("2026-05-14 10:00", False),  # Ascension Day, a Thursday
    ("2026-04-03 10:00", True),  # Good Friday is a holiday in Alsace-Moselle only
])
def test_is_open_on_weekdays_weekends_and_public_holidays(moment, expected):
    assert hours.is_open(OFFICE, at(moment)) is expected


def test_utc_clock_is_read_in_paris_time():
    from datetime import UTC

    # 08:30 UTC is 09:30 in Paris in winter.
    assert hours.is_open(OFFICE, datetime(2026, 11, 25, 8, 30, tzinfo=UTC))


def test_without_ph_off_a_holiday_is_an_ordinary_day():
    assert hours.is_open("Mo-Fr 09:00-12:00", at("2026-11-11 10:00"))


@pytest.mark.parametrize("expression", [None, "", "du lundi au vendredi", "Mo-Fr 25:00-26:00"])
def test_missing_or_invalid_hours_never_count_as_open(expression):
    assert hours.parse(expression) is None
    assert hours.is_open(expression, at("2026-11-25 10:00")) is False


def test_summary_in_plain_french(app):
    with app.test_request_context("/?lang=fr"):
        summary = hours.summarise(OFFICE, at("2026-11-25 10:00"))
        assert summary.headline == "Ouvert maintenant, jusqu’à 12 h"
        assert summary.today.endswith("Aujourd’hui de 9 h à 12 h et de 13 h 30 à 17 h")
        assert [d.text for d in summary.week][3:5] == ["Fermé", "Fermé"]  # Saturday, Sunday
        assert summary.week[0].today and summary.week[0].label == "mercredi 25 novembre"
        later = hours.summarise(OFFICE, at("2026-11-25 12:30"))
        assert later.headline == "Ouvert aujourd’hui de 9 h à 12 h et de 13 h 30 à 17 h"
        assert later.next_opening == ""  # it reopens today: no need to say when


def test_summary_says_when_it_opens_next(app):
    with app.test_request_context("/?lang=fr"):
        summary = hours.summarise(OFFICE, at("2026-11-28 10:00"))
        assert summary.headline == "Fermé aujourd’hui"
        assert summary.next_opening == "Prochaine ouverture : lundi 30 novembre à 9 h"
        holiday = hours.summarise(OFFICE, at("2026-11-11 08:00"))
        assert holiday.headline == "Fermé aujourd’hui"
        assert "jeudi 12 novembre" in holiday.next_opening


@pytest.mark.parametrize("lang, expected", [
    ("en", "Open today from 9:00\u202fAM to 12:00\u202fPM"),
    ("ar", "مفتوح اليوم من"),
])
def test_summary_in_the_visitors_language(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"), force_locale(lang):
        assert hours.summarise("Mo-Fr 09:00-12:00", at("2026-11-25 08:00")).headline.startswith(
            expected)
