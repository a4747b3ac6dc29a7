"""Back-office forms of works sites: the site (point typed or picked on a map, or an area
as GeoJSON) and a dated update of its timeline."""

import json

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from .. import geo
from ..backoffice.forms import Email, quartier_choices, translatable
from ..phones import FrenchPhone
from .models import WorksKind, WorksStatus
from .texts import KIND_LABELS, STATUS_LABELS

(SOUTH, WEST), (NORTH, EAST) = geo.ROUBAIX_BOUNDS


def _count(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=100000)])


@translatable("title", "summary", "description", "nuisances", "insertion_contact")
class SiteForm(FlaskForm):
    quartier = SelectField(_l("Quartier"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Titre"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Nature des travaux"), validators=[InputRequired()],
                       choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    status = SelectField(_l("État"), validators=[InputRequired()],
                         choices=[(s.value, label) for s, label in STATUS_LABELS.items()])
    summary = StringField(_l("Résumé en une phrase"), validators=[InputRequired(),
                                                                   Length(max=400)])
    description = TextAreaField(_l("Description (Markdown)"),
                                validators=[Optional(), Length(max=20000)], render_kw={"rows": 6})
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)])
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(
        SOUTH, NORTH, message=_l("Hors de la métropole lilloise : latitude et longitude "
                                 "inversées ?"))])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(
        WEST, EAST, message=_l("Hors de la métropole lilloise : latitude et longitude "
                               "inversées ?"))])
    area = TextAreaField(_l("Zone (géométrie GeoJSON, facultatif)"), validators=[Optional()],
                         render_kw={"rows": 3, "dir": "ltr"})
    owner = StringField(_l("Maître d’ouvrage"), validators=[InputRequired(), Length(max=200)])
    planned_start = DateField(_l("Début prévu"), validators=[Optional()])
    planned_end = DateField(_l("Fin prévue"), validators=[Optional()])
    actual_start = DateField(_l("Début réel"), validators=[Optional()])
    actual_end = DateField(_l("Fin réelle"), validators=[Optional()])
    homes_concerned = _count(_l("Logements concernés"))
    nuisances = TextAreaField(_l("Gênes pour les habitants"),
                              validators=[Optional(), Length(max=3000)], render_kw={"rows": 3})
    nuisances_until = DateField(_l("Gênes jusqu’au"), validators=[Optional()])
    contact_name = StringField(_l("Contact"), validators=[Optional(), Length(max=200)])
    contact_email = StringField(_l("E-mail du contact"),
                                validators=[Optional(), Length(max=200), Email])
    contact_phone = StringField(_l("Téléphone du contact"),
                                validators=[Optional(), Length(max=40), FrenchPhone()])
    insertion_jobs = _count(_l("Emplois en insertion"))
    insertion_hours = _count(_l("Heures d’insertion"))
    insertion_contact = TextAreaField(_l("Pour postuler (clause d’insertion)"),
                                      validators=[Optional(), Length(max=2000)],
                                      render_kw={"rows": 2})
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.quartier.choices = quartier_choices(user)
        self.geometry = None  # set by validate(): the GeoJSON geometry to store

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            first, last = getattr(self, start).data, getattr(self, end).data
            if first and last and last < first:
                getattr(self, end).errors.append(_l("La fin vient avant le début."))
                ok = False
        if (self.area.data or "").strip():
            try:
                geometry = json.loads(self.area.data)
                geo.validate_geometry(geometry, bounds=geo.ROUBAIX_BOUNDS)
            except (ValueError, geo.GeometryError) as exc:
                self.area.errors.append(_l("Géométrie non valable : %(error)s", error=str(exc)))
                return False
            self.geometry = geometry
        elif self.latitude.data is not None and self.longitude.data is not None:
            self.geometry = {"type": "Point",
                             "coordinates": [self.longitude.data, self.latitude.data]}
        else:
            self.latitude.errors.append(_l("Placez le chantier : cliquez sur la carte ou tapez "
                                           "sa latitude et sa longitude."))
            ok = False
        return ok

    @property
    def kind_value(self) -> WorksKind:
        return WorksKind(self.kind.data)

    @property
    def status_value(self) -> WorksStatus:
        return WorksStatus(self.status.data)


@translatable("text")
class UpdateForm(FlaskForm):
    published_on = DateField(_l("Date"), validators=[InputRequired()])
    text = TextAreaField(_l("Ce qui change"), validators=[InputRequired(), Length(max=2000)],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Ajouter à l’historique"))
