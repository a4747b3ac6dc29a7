"""A visit's plan in one readable sentence, for the back office: "tous les mardis de 14 h à
17 h, du 6 janvier au 30 juin, sauf 3 dates". Teams check with it that the rule they typed
means what they wanted."""

from datetime import date, time

from babel.lists import format_list
from flask_babel import format_date, format_time, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import current_language

# Plural day names: French says "tous les mardis", which no locale database gives.
WEEKDAY_PLURALS = {
    "MO": _l("lundis"), "TU": _l("mardis"), "WE": _l("mercredis"), "TH": _l("jeudis"),
    "FR": _l("vendredis"), "SA": _l("samedis"), "SU": _l("dimanches"),
}


def parse_simple_rule(rrule: str | None) -> tuple[str, list[str]]:
    """("once" | "weekly" | "biweekly" | "custom", weekdays) of a rule the form can show."""
    if not rrule:
        return "once", []
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    plain_days = days and all(d in WEEKDAY_PLURALS for d in days)
    extra = set(parts) - {"FREQ", "BYDAY", "INTERVAL", "WKST"}
    if parts.get("FREQ") == "WEEKLY" and plain_days and not extra:
        interval = parts.get("INTERVAL", "1")
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


def hour(value: time) -> str:
    """14 h, 9 h 30 in French; the locale's short time elsewhere."""
    if current_language() == "fr":
        return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")
    return format_time(value, "short")


def _day(value: date, with_year: bool) -> str:
    return format_date(value, "d MMMM y" if with_year else "d MMMM")


def describe(visit) -> str:
    start, end = hour(visit.start_time), hour(visit.end_time)
    if not visit.rrule:
        return _("le %(date)s de %(start)s à %(end)s",
                 date=format_date(visit.starts_on, "EEEE d MMMM y"), start=start, end=end)
    kind, days = parse_simple_rule(visit.rrule)
    with_year = visit.starts_on.year != visit.ends_on.year
    span = {"first": _day(visit.starts_on, with_year), "last": _day(visit.ends_on, True)}
    names = format_list([str(WEEKDAY_PLURALS.get(d, d)) for d in days], locale=get_locale())
    if kind == "weekly":
        text = _("tous les %(days)s de %(start)s à %(end)s, du %(first)s au %(last)s",
                 days=names, start=start, end=end, **span)
    elif kind == "biweekly":
        text = _("les %(days)s une semaine sur deux, de %(start)s à %(end)s, "
                 "du %(first)s au %(last)s", days=names, start=start, end=end, **span)
    else:
        text = _("selon la règle %(rule)s, de %(start)s à %(end)s, du %(first)s au %(last)s",
                 rule=visit.rrule, start=start, end=end, **span)
    if visit.skip_school_holidays:
        text += _(", hors vacances scolaires")
    count = len(visit.exception_dates or ())
    if count:
        text += ngettext(", sauf %(num)d date", ", sauf %(num)d dates", count)
    return text
