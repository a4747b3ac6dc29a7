"""Loading content/mobile_house.yaml: idempotent, every mistake reported with file and line."""

import shutil
from pathlib import Path

import pytest

from portal.content import ContentErrors, load_content
from portal.extensions import db as _db
from portal.mobile_house.models import SchoolHoliday, Visit, VisitCancellation
from tests.factories import make_quartier

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
visits:
  - slug: alma-mardi
    quartier: alma
    place: Parvis
    address: Rue de l'Alma, 59100 Roubaix
    from: 2026-09-01
    until: 2027-07-03
    weekdays: [TU]
    time: "14:00-17:00"
    themes: [relogement]
    cancellations:
      - {date: 2026-12-01, reason: Réunion publique}
"""


@pytest.fixture
def quartiers(db):
    return [make_quartier(slug) for slug in ("alma", "epeule", "pile", "trois-ponts")]


def write(tmp_path, text, holidays=True):
    (tmp_path / "mobile_house.yaml").write_text(text, encoding="utf-8")
    if holidays:
        shutil.copy(ROOT / "content" / "school_holidays.yaml", tmp_path)
    return tmp_path


def test_demo_schedule_loads_and_reloading_changes_nothing(quartiers, tmp_path):
    for name in ("mobile_house.yaml", "school_holidays.yaml"):
        shutil.copy(ROOT / "content" / name, tmp_path)
    first = load_content(tmp_path)
    assert first.counts[("visits", "created")] >= 8
    assert first.counts[("school holidays", "created")] == 12
    second = load_content(tmp_path)
    assert not [k for k in second.counts if k[1] != "unchanged"]
    assert _db.session.scalar(_db.select(_db.func.count(VisitCancellation.id))) == 2


def test_translated_partners_are_kept_one_per_line(quartiers, tmp_path):
    from portal.mobile_house.schedule import parse_visit

    entry = {"slug": "s", "quartier": "alma", "place": "Place", "address": "Rue", "lat": 50.69,
             "lon": 3.17, "date": "2026-12-02", "time": "14:00-17:00",
             "partners": ["Équipe projet NPNRU", "CCAS de Roubaix"],
             "translations": {"en": {"partners": ["NPNRU project team", "Roubaix CCAS"]}}}
    visit = parse_visit(entry, 0, {"alma"})
    assert visit["translations"]["en"]["partners"] == "NPNRU project team\nRoubaix CCAS"


def test_changed_cancellation_is_updated_in_place(quartiers, tmp_path):
    load_content(write(tmp_path, GOOD))
    load_content(write(tmp_path, GOOD.replace("Réunion publique", "Fête de quartier")))
    [row] = _db.session.scalars(_db.select(VisitCancellation))
    assert row.reason == "Fête de quartier"
    load_content(write(tmp_path, GOOD.split("    cancellations:")[0]))
    assert _db.session.scalar(_db.select(_db.func.count(VisitCancellation.id))) == 0


@pytest.mark.parametrize("change, message", [
    (("weekdays: [TU]", 'rrule: "FREQ=WEEKLY;BYDAY=XX"'), "bad rrule"),
    (("weekdays: [TU]", 'rrule: "FREQ=WEEKLY;COUNT=4"'), "bad rrule"),
    (("weekdays: [TU]", "weekdays: [MARDI]"), "weekdays"),
    (("until: 2027-07-03", "until: 2026-08-01"), "is before from"),
    (('time: "14:00-17:00"', 'time: "17:00-14:00"'), "ends before it starts"),
    (("quartier: alma", "quartier: roubaix-centre"), "unknown quartier 'roubaix-centre'"),
    (("themes: [relogement]", "themes: [logement]"), "unknown theme"),
    (("2026-12-01", "2026-12-02"), "does not take place that day"),
    (("from: 2026-09-01", "from: 1er septembre"), "is not a date"),
    (("weekdays: [TU]", 'rrule: "FREQ=WEEKLY;INTERVAL=0;BYDAY=SA"'), "INTERVAL"),
    (("weekdays: [TU]", 'rrule: "FREQ=MINUTELY"'), "FREQ must be one of"),
    (("themes: [relogement]", "skip_school_holiday: true"), "unknown key(s) skip_school_holiday"),
    (("quartier: alma", "quartier: [alma]"), "unknown quartier"),
    (("themes: [relogement]", "themes: relogement"), "themes must be a list"),
    (("themes: [relogement]", "lat: nord\n    lon: 3.1"), "lat and lon must be numbers"),
])
def test_mistakes_are_reported_with_file_and_line_and_nothing_is_written(
    quartiers, tmp_path, change, message
):
    write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path)
    [error] = caught.value.errors
    assert error.path == "mobile_house.yaml" and error.line == 2
    assert message in error.message and "alma-mardi" in error.message
    assert _db.session.scalar(_db.select(_db.func.count(Visit.id))) == 0
    assert _db.session.scalar(_db.select(_db.func.count(SchoolHoliday.id))) == 0


def test_invalid_yaml_is_reported_with_its_line(quartiers, tmp_path):
    write(tmp_path, GOOD + "  - slug: [unclosed\n")
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path)
    assert caught.value.errors[0].line and "invalid YAML" in caught.value.errors[0].message


def test_cancellation_during_school_holidays_is_refused(quartiers, tmp_path):
    text = GOOD.replace('time: "14:00', 'skip_school_holidays: true\n    time: "14:00').replace(
        "2026-12-01", "2026-12-22")
    write(tmp_path, text)
    with pytest.raises(ContentErrors, match="does not take place"):
        load_content(tmp_path)


def test_visit_removed_from_the_file_is_removed_with_its_cancellations(quartiers, tmp_path):
    from tests.mobile_house.factories import make_visit

    load_content(write(tmp_path, GOOD))
    make_visit(quartiers[0], "prevu-au-bureau")  # created in the back office: kept
    report = load_content(write(tmp_path, "visits: []\n"))
    assert report.counts[("visits", "removed")] == 1
    assert list(_db.session.scalars(_db.select(Visit.slug))) == ["prevu-au-bureau"]
    assert _db.session.scalar(_db.select(_db.func.count(VisitCancellation.id))) == 0



def test_impossible_date_is_reported_not_raised(quartiers, tmp_path):
    write(tmp_path, GOOD.replace("from: 2026-09-01", "from: 2026-02-30"))
    with pytest.raises(ContentErrors, match="mobile_house.yaml: invalid value"):
        load_content(tmp_path)
