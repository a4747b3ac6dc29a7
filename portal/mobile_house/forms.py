"""Back-office forms of the Maison Mobile: a visit (one-off or series) and a cancellation."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from .. import calendar
from ..backoffice.fields import (
    CoordinateField,
    DateField,
    check_position,
    out_of_range_message,
    series_too_long_message,
)
from ..backoffice.forms import BackOfficeForm, CheckboxesField, quartier_choices, translatable
from ..calendar import date_in_range, series_too_long
from .schedule import THEMES
from .texts import THEME_LABELS

WEEKDAY_LABELS = [("MO", _l("lundi")), ("TU", _l("mardi")), ("WE", _l("mercredi")),
                  ("TH", _l("jeudi")), ("FR", _l("vendredi")), ("SA", _l("samedi")),
                  ("SU", _l("dimanche"))]
KINDS = [("once", _l("Une seule fois")), ("weekly", _l("Chaque semaine")),
         ("biweekly", _l("Une semaine sur deux")),
         ("custom", _l("Autre règle (format iCalendar RRULE)"))]


class BadDate(ValueError):
    """A line of a dates field that is not a date: args[0] is the line."""


def parse_dates(text: str | None) -> list[date]:
    """Dates typed one per line (or separated by commas), as 2026-12-29 or 29/12/2026;
    BadDate names the first line that is not a date."""
    found = []
    for chunk in (text or "").replace(",", "\n").splitlines():
        chunk = chunk.strip()
        if not chunk:
            continue
        try:
            if "/" in chunk:
                day, month, year = chunk.split("/")
                found.append(date(int(year), int(month), int(day)))
            else:
                found.append(date.fromisoformat(chunk))
        except (ValueError, OverflowError):  # int() of 10**20 makes date() overflow
            raise BadDate(chunk) from None
    return sorted(set(found))


@translatable("place_name", "description", "partners")
class VisitForm(BackOfficeForm):
    quartier = SelectField(_l("Quartier"), coerce=int, validators=[InputRequired()])
    place_name = StringField(_l("Lieu"), validators=[InputRequired(), Length(max=200)])
    address = StringField(_l("Adresse"), validators=[InputRequired(), Length(max=300)])
    latitude = CoordinateField(_l("Latitude"), axis="latitude")
    longitude = CoordinateField(_l("Longitude"), axis="longitude")
    kind = RadioField(_l("Fréquence"), choices=KINDS, default="weekly")
    weekdays = CheckboxesField(_l("Jours"), choices=WEEKDAY_LABELS)
    custom_rule = StringField(_l("Règle RRULE"), validators=[Optional(), Length(max=300)])
    starts_on = DateField(_l("Premier jour (ou date du passage unique)"),
                          validators=[InputRequired()])
    ends_on = DateField(_l("Dernier jour possible"), validators=[Optional()])
    start_time = TimeField(_l("Heure de début"), validators=[InputRequired()])
    end_time = TimeField(_l("Heure de fin"), validators=[InputRequired()])
    skip_school_holidays = BooleanField(_l("Pas pendant les vacances scolaires"))
    exception_dates = TextAreaField(_l("Dates sans passage"), validators=[Optional()],
                                    render_kw={"rows": 3})
    themes = CheckboxesField(_l("Thèmes"), choices=[(t, THEME_LABELS[t]) for t in THEMES])
    partners = TextAreaField(_l("Partenaires présents (un par ligne)"),
                             validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 4})
    published = BooleanField(_l("Publié sur le site"), default=True)
    preview = SubmitField(_l("Voir le résumé"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.quartier.choices = quartier_choices(user)
        self.rule = None  # the RRULE built by validate(), None for a one-off
        self.parsed_exceptions = []

    def validate_end_time(self, field):
        start = self.checked("start_time")
        if start and field.data and field.data <= start:
            raise ValidationError(_l("La fin doit venir après le début."))

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then those that depend on the kind of visit (a series needs days,
        an end, a valid rule); errors land next to the field concerned."""
        from .summary import build_rule

        ok = super().validate(extra_validators)
        ok = self._check_exceptions() and ok
        ok = check_position(self.latitude, self.longitude) and ok
        kind = self.kind.data
        if kind in ("weekly", "biweekly") and not self.weekdays.data:
            self.weekdays.errors.append(_l("Choisissez au moins un jour."))
            ok = False
        if kind == "custom":
            try:
                self.custom_rule.data = calendar.parse_rrule(self.custom_rule.data or "")
            except ValueError as exc:
                self.custom_rule.errors.append(_(
                    "Cette règle ne convient pas (%(detail)s). Exemple : "
                    "FREQ=MONTHLY;BYDAY=1SA,3SA (les 1er et 3e samedis du mois).",
                    detail=str(exc)))
                ok = False
        # Only dates that passed their own checks are compared: one refused already got
        # its message, and may lie where date arithmetic overflows.
        first, last = self.checked("starts_on"), self.checked("ends_on")
        if kind != "once" and not self.ends_on.errors:
            if last is None:
                self.ends_on.errors.append(_l("Une série a un dernier jour."))
                ok = False
            elif first and last < first:
                self.ends_on.errors.append(_l("Le dernier jour vient avant le premier."))
                ok = False
            elif first and series_too_long(first, last):
                self.ends_on.errors.append(series_too_long_message())
                ok = False
        if ok:
            self.rule = build_rule(kind, self.weekdays.data, self.custom_rule.data)
        return ok

    def _check_exceptions(self) -> bool:
        try:
            self.parsed_exceptions = parse_dates(self.exception_dates.data)
        except BadDate as exc:
            self.exception_dates.errors.append(_l(
                "« %(line)s » n’est pas une date : une date par ligne, par exemple 29/12/2026.",
                line=exc.args[0][:40]))
            return False
        outside = [d for d in self.parsed_exceptions if not date_in_range(d)]
        if outside:
            self.exception_dates.errors.append(out_of_range_message())
            return False
        return True


@translatable("reason")
class CancelForm(BackOfficeForm):
    occurs_on = SelectField(_l("Passage annulé"), validators=[InputRequired()])
    reason = StringField(_l("Raison, affichée aux habitants"),
                         validators=[InputRequired(), Length(max=300)])
    submit = SubmitField(_l("Annuler ce passage"))


class PeopleReceivedForm(BackOfficeForm):
    """Entered from a phone at the end of a passage: which passage, how many people."""

    occurs_on = SelectField(_l("Passage"), validators=[InputRequired()])
    people_received = IntegerField(
        _l("Personnes reçues"),
        validators=[InputRequired(message=_l("Indiquez un nombre, 0 si personne n’est venu.")),
                    NumberRange(min=0, max=2000, message=_l("Un nombre entre 0 et 2000."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    submit = SubmitField(_l("Enregistrer"))
