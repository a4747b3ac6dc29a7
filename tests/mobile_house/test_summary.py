"""The back office's plain-words summary of a visit's recurrence rule, in fr, en and ar;
only rules without a wording are shown raw."""

from datetime import date, time

import pytest
from flask_babel import force_locale

from portal.mobile_house.models import Visit
from portal.mobile_house.summary import describe

SPAN = "de 14 h à 17 h, du 6 janvier au 30 juin 2027"


def summary(app, rule: str, lang: str = "fr") -> str:
    visit = Visit(starts_on=date(2027, 1, 6), ends_on=date(2027, 6, 30), start_time=time(14),
                  end_time=time(17), rrule=rule)
    with app.test_request_context("/"), force_locale(lang):
        return describe(visit)


@pytest.mark.parametrize("rule, words", [
    ("FREQ=MONTHLY;BYDAY=1TU", f"le premier mardi du mois, {SPAN}"),
    ("FREQ=MONTHLY;BYDAY=-1FR", f"le dernier vendredi du mois, {SPAN}"),
    ("FREQ=MONTHLY;BYDAY=2TH,4TH", f"le 2e et le 4e jeudi du mois, {SPAN}"),
    ("FREQ=MONTHLY;BYDAY=1SA,3SA;WKST=MO", f"le premier et le 3e samedi du mois, {SPAN}"),
    ("FREQ=MONTHLY;BYDAY=1TU,3TH", f"le premier mardi et le 3e jeudi du mois, {SPAN}"),
    ("FREQ=WEEKLY;BYDAY=TU,TH", f"tous les mardis et jeudis {SPAN}"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", f"un mardi sur deux, {SPAN}"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", f"les lundis et jeudis une semaine sur deux, {SPAN}"),
    ("FREQ=MONTHLY;BYMONTHDAY=15", f"le 15 de chaque mois, {SPAN}"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,15", f"le 1er et le 15 de chaque mois, {SPAN}"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", f"le dernier jour de chaque mois, {SPAN}"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", f"tous les jours {SPAN}"),
    ("FREQ=DAILY", f"tous les jours {SPAN}"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO,TU,WE,TH,FR,SA",
     f"tous les jours une semaine sur deux, {SPAN}"),
])
def test_usual_rules_read_as_plain_french(app, rule, words):
    assert summary(app, rule) == words


@pytest.mark.parametrize("rule", [
    "FREQ=MONTHLY;BYDAY=TU",  # every Tuesday of the month: says nothing a weekly rule would not
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU",
    "FREQ=MONTHLY;BYDAY=-3FR",
    "FREQ=MONTHLY;BYDAY=1TU;BYMONTH=3",
    "FREQ=YEARLY;BYMONTH=6;BYDAY=-1SA",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
])
def test_other_rules_are_shown_as_they_are(app, rule):
    assert summary(app, rule) == f"selon la règle {rule}, {SPAN}"


@pytest.mark.parametrize("rule, lang, words", [
    ("FREQ=MONTHLY;BYDAY=1TU", "en", "on the first Tuesday of the month, from"),
    ("FREQ=MONTHLY;BYDAY=2TH,4TH", "en", "on the 2nd and the 4th Thursday of the month"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "en", "every other Tuesday, from"),
    ("FREQ=MONTHLY;BYMONTHDAY=15", "en", "on day 15 of each month, from"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "ar", "الجمعة الأخير من كل شهر، من"),
    ("FREQ=MONTHLY;BYDAY=2TH,4TH", "ar", "الخميس الثاني والرابع من كل شهر"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "ar", "الثلاثاء أسبوعًا بعد أسبوع، من"),
    ("FREQ=MONTHLY;BYMONTHDAY=15", "ar", "اليوم 15 من كل شهر، من"),
])
def test_rules_read_in_english_and_arabic(app, rule, lang, words):
    assert summary(app, rule, lang).startswith(words)


def test_the_first_of_the_month_reads_1er_in_french(app):
    visit = Visit(starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 1), start_time=time(14),
                  end_time=time(17), rrule="FREQ=WEEKLY;BYDAY=FR")
    with app.test_request_context("/"), force_locale("fr"):
        assert describe(visit) == ("tous les vendredis de 14 h à 17 h, du 1er janvier au "
                                   "1er décembre 2027")
        visit.rrule = None
        assert describe(visit) == "le vendredi 1er janvier 2027 de 14 h à 17 h"
    with app.test_request_context("/"), force_locale("en"):
        assert "1 January" in describe(visit) and "1er" not in describe(visit)
