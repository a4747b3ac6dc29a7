"""Forms of rendez-vous: the back-office event form, cancel, return, report, staff
registration; the residents' registration form is in registration_forms.py."""

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import clock
from ..backoffice.fields import CoordinateField, DateField, check_position
from ..backoffice.forms import BackOfficeForm, CheckboxesField, quartier_choices, translatable
from ..extensions import db
from ..sanitize import MARKDOWN_MAX_LENGTH
from .texts import ACCESS, KINDS


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


@translatable("title", "easy_read", "description", "place_name")
class EventForm(BackOfficeForm):
    quartier = SelectField(_l("Quartier"), coerce=int, validators=[InputRequired()])
    kind = SelectField(_l("Type de rendez-vous"), choices=list(KINDS.items()),
                       validators=[InputRequired()])
    title = StringField(_l("Titre"), validators=[InputRequired(), Length(max=200)])
    easy_read = TextAreaField(_l("En bref, facile à lire (facultatif)"),
                              validators=[Optional(), Length(max=600)])
    description = TextAreaField(_l("Description"),
                                validators=[Optional(), Length(max=MARKDOWN_MAX_LENGTH)])
    day = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("Heure de début"), validators=[InputRequired()])
    end_time = TimeField(_l("Heure de fin"), validators=[InputRequired()])
    place_name = StringField(_l("Lieu"), validators=[InputRequired(), Length(max=200)])
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)])
    latitude = CoordinateField(_l("Latitude"), axis="latitude")
    longitude = CoordinateField(_l("Longitude"), axis="longitude")
    accessibility = CheckboxesField(_l("Accessibilité"), choices=list(ACCESS.items()))
    organiser = StringField(_l("Qui organise"), validators=[Optional(), Length(max=200)])
    works_site = SelectField(_l("Chantier lié (facultatif)"), coerce=_optional_id,
                             validators=[Optional()])
    news_article = SelectField(_l("Actualité liée (facultatif)"), coerce=_optional_id,
                               validators=[Optional()])
    registration = BooleanField(_l("Sur inscription"))
    capacity = IntegerField(_l("Nombre de places (personnes)"), validators=[Optional()])
    registration_deadline = DateTimeLocalField(_l("Inscriptions jusqu’au"),
                                               validators=[Optional()])
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, user=None, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        # A team is offered its own quartiers only: another one, sent by tampering with the
        # form, is not a valid choice.
        self.quartier.choices = quartier_choices(user)
        from ..news.models import NewsArticle
        from ..works.models import WorksSite

        self.works_site.choices = [(None, "—")] + [
            (s.id, s.title) for s in db.session.scalars(
                db.select(WorksSite).order_by(WorksSite.title))]
        self.news_article.choices = [(None, "—")] + [
            (a.id, a.title) for a in db.session.scalars(
                db.select(NewsArticle).order_by(NewsArticle.title))]

    @property
    def starts_at(self) -> datetime | None:
        day, start = self.checked("day"), self.checked("start_time")
        return datetime.combine(day, start, tzinfo=clock.PARIS) if day and start else None

    @property
    def ends_at(self) -> datetime | None:
        day, end = self.checked("day"), self.checked("end_time")
        return datetime.combine(day, end, tzinfo=clock.PARIS) if day and end else None

    @property
    def deadline(self) -> datetime | None:
        value = self.checked("registration_deadline")
        return value.replace(tzinfo=clock.PARIS) if value else None

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = check_position(self.latitude, self.longitude) and ok
        start, end = self.starts_at, self.ends_at
        if start and end and end <= start:
            self.end_time.errors.append(_l("L’heure de fin doit être après l’heure de début."))
            ok = False
        unchanged = (self.event is not None and start is not None
                     and _same_instant(self.event.starts_at, start))
        if start and start < clock.now() and not unchanged:
            self.day.errors.append(_l("Ce moment est déjà passé : choisissez une date à venir."))
            ok = False
        if self.registration.data:
            if self.capacity.data is not None and self.capacity.data < 1:
                self.capacity.errors.append(_l("Au moins une place, ou laissez vide pour ne "
                                               "pas limiter."))
                ok = False
            if self.capacity.data is not None and self.capacity.data > 100000:
                self.capacity.errors.append(_l("Au plus 100 000 places."))
                ok = False
            deadline = self.deadline
            if deadline and start and deadline > start:
                self.registration_deadline.errors.append(
                    _l("La fin des inscriptions doit être avant le début du rendez-vous."))
                ok = False
        return ok


def _same_instant(stored, typed) -> bool:
    from ..calendar import aware_utc

    return aware_utc(stored) == aware_utc(typed)


@translatable("reason")
class CancelForm(BackOfficeForm):
    reason = TextAreaField(_l("Raison de l’annulation (affichée sur le site)"),
                           filters=[_stripped], validators=[DataRequired(), Length(max=600)])
    submit = SubmitField(_l("Annuler le rendez-vous"))


class ReturnForm(BackOfficeForm):
    comment = TextAreaField(_l("Commentaire pour l’équipe"),
                            filters=[_stripped], validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Renvoyer à l’équipe"))


@translatable("report")
class ReportForm(BackOfficeForm):
    attendance = IntegerField(_l("Nombre de personnes venues"),
                              validators=[Optional(), NumberRange(min=0, max=100000)])
    report = TextAreaField(_l("Compte rendu : ce qui a été dit, décidé, et la suite"),
                           validators=[Optional(), Length(max=MARKDOWN_MAX_LENGTH)])
    submit = SubmitField(_l("Publier le compte rendu"))


def default_time(hour: int) -> time:
    return time(hour, 0)
