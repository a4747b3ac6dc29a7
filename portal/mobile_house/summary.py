"""A visit's plan in one readable sentence, for the back office: "tous les mardis de 14 h à
17 h, du 6 janvier au 30 juin, sauf 3 dates". Teams check with it that the rule they typed
means what they wanted."""

import re
from datetime import date

from babel.lists import format_list
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import current_language, hour_minute

# Plural day names: French says "tous les mardis", which no locale database gives.
WEEKDAY_PLURALS = {
    "MO": _l("lundis"), "TU": _l("mardis"), "WE": _l("mercredis"), "TH": _l("jeudis"),
    "FR": _l("vendredis"), "SA": _l("samedis"), "SU": _l("dimanches"),
}

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # babel's order: Monday is 0
# BYDAY of a monthly rule: "1TU" first Tuesday, "-1FR" last Friday.
BYDAY_ORDINAL = re.compile(r"([+-]?[1-5])(MO|TU|WE|TH|FR|SA|SU)")
ORDINALS = {
    1: _l("premier"), 2: _l("2e"), 3: _l("3e"), 4: _l("4e"), 5: _l("5e"),
    -1: _l("dernier"), -2: _l("avant-dernier"),
}


def parse_simple_rule(rrule: str | None) -> tuple[str, list[str]]:
    """("once" | "weekly" | "biweekly" | "custom", weekdays) of a rule the form can show."""
    if not rrule:
        return "once", []
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    plain_days = days and all(d in WEEKDAY_PLURALS for d in days)
    extra = set(parts) - {"FREQ", "BYDAY", "INTERVAL", "WKST"}
    interval = parts.get("INTERVAL", "1")
    # The form has no week start: one other than Monday changes which weeks a rule every
    # other week keeps, so such a rule stays as typed.
    if interval != "1" and parts.get("WKST", "MO") != "MO":
        extra.add("WKST")
    if parts.get("FREQ") == "WEEKLY" and plain_days and not extra:
        if interval == "1":
            return "weekly", days
        if interval == "2":
            return "biweekly", days
    return "custom", days


def build_rule(kind: str, weekdays: list[str], custom: str | None) -> str | None:
    if kind == "once":
        return None
    if kind == "weekly":
        return f"FREQ=WEEKLY;BYDAY={','.join(weekdays)}"
    if kind == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={','.join(weekdays)}"
    return custom




def day_words(value: date, pattern: str) -> str:
    """format_date, with French's "1er janvier" for the first of the month."""
    if value.day == 1 and current_language() == "fr":
        pattern = pattern.replace("d ", "d'er' ", 1)
    return format_date(value, pattern)


def _day(value: date, with_year: bool) -> str:
    return day_words(value, "d MMMM y" if with_year else "d MMMM")


def _rule_parts(rrule: str) -> dict[str, str]:
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    parts.pop("WKST", None)  # changes nothing for the rules described here
    return parts


def _day_name(code: str) -> str:
    """mardi, Tuesday, الثلاثاء: the locale's own singular weekday name."""
    return get_locale().days["format"]["wide"][WEEKDAYS.index(code)]


def _monthly_weekdays(parts: dict[str, str]) -> str | None:
    """"le premier mardi", "le 2e et le 4e jeudi" of FREQ=MONTHLY;BYDAY=1TU or 2TH,4TH."""
    groups: dict[str, list[str]] = {}  # weekday -> ordinals, in the rule's order
    for item in parts["BYDAY"].split(","):
        match = BYDAY_ORDINAL.fullmatch(item)
        if not match or int(match[1]) not in ORDINALS:
            return None
        ordinal = _("le %(ordinal)s", ordinal=ORDINALS[int(match[1])])
        groups.setdefault(match[2], []).append(ordinal)
    locale = get_locale()
    return format_list([_("%(ordinals)s %(day)s", ordinals=format_list(ordinals, locale=locale),
                          day=_day_name(day)) for day, ordinals in groups.items()],
                       locale=locale)


def _month_day(number: int) -> str:
    if number == -1:
        return _("le dernier jour")
    if number == 1:
        return _("le 1er")
    return _("le %(day)d", day=number)


def _monthly_days(parts: dict[str, str]) -> str | None:
    """"le 15", "le 1er et le 15" of FREQ=MONTHLY;BYMONTHDAY=15 or 1,15."""
    try:
        numbers = [int(n) for n in parts["BYMONTHDAY"].split(",")]
    except ValueError:
        return None
    if not all(1 <= n <= 31 or n == -1 for n in numbers):
        return None
    return format_list([_month_day(n) for n in numbers], locale=get_locale())


def _pattern(rrule: str, start: str, end: str, span: dict[str, str]) -> str:
    """The rule's days and hours in words; the raw rule for what has no wording yet."""
    kind, days = parse_simple_rule(rrule)
    names = format_list([str(WEEKDAY_PLURALS.get(d, d)) for d in days], locale=get_locale())
    every_day = set(days) == set(WEEKDAYS)
    if (kind == "weekly" and every_day) or _rule_parts(rrule) == {"FREQ": "DAILY"}:
        return _("tous les jours de %(start)s à %(end)s, du %(first)s au %(last)s",
                 start=start, end=end, **span)
    if kind == "biweekly" and every_day:
        return _("tous les jours une semaine sur deux, de %(start)s à %(end)s, du %(first)s "
                 "au %(last)s", start=start, end=end, **span)
    if kind == "weekly":
        return _("tous les %(days)s de %(start)s à %(end)s, du %(first)s au %(last)s",
                 days=names, start=start, end=end, **span)
    if kind == "biweekly" and len(days) == 1:
        return _("un %(day)s sur deux, de %(start)s à %(end)s, du %(first)s au %(last)s",
                 day=_day_name(days[0]), start=start, end=end, **span)
    if kind == "biweekly":
        return _("les %(days)s une semaine sur deux, de %(start)s à %(end)s, "
                 "du %(first)s au %(last)s", days=names, start=start, end=end, **span)
    parts = _rule_parts(rrule)
    if parts.get("FREQ") == "MONTHLY" and parts.get("INTERVAL", "1") == "1":
        if parts.keys() == {"FREQ", "BYDAY"} and (words := _monthly_weekdays(parts)):
            return _("%(days)s du mois, de %(start)s à %(end)s, du %(first)s au %(last)s",
                     days=words, start=start, end=end, **span)
        if parts.keys() == {"FREQ", "BYMONTHDAY"} and (words := _monthly_days(parts)):
            return _("%(days)s de chaque mois, de %(start)s à %(end)s, du %(first)s au "
                     "%(last)s", days=words, start=start, end=end, **span)
    return _("selon la règle %(rule)s, de %(start)s à %(end)s, du %(first)s au %(last)s",
             rule=rrule, start=start, end=end, **span)


def describe(visit) -> str:
    start, end = hour_minute(visit.start_time), hour_minute(visit.end_time)
    if not visit.rrule:
        return _("le %(date)s de %(start)s à %(end)s",
                 date=day_words(visit.starts_on, "EEEE d MMMM y"), start=start, end=end)
    with_year = visit.starts_on.year != visit.ends_on.year
    span = {"first": _day(visit.starts_on, with_year), "last": _day(visit.ends_on, True)}
    text = _pattern(visit.rrule, start, end, span)
    if visit.skip_school_holidays:
        text += _(", hors vacances scolaires")
    count = len(visit.exception_dates or ())
    if count:
        text += ngettext(", sauf %(num)d date", ", sauf %(num)d dates", count)
    return text
