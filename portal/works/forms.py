"""Back-office forms of works sites: the site (point typed or picked on a map, or an area
as GeoJSON) and a dated update of its timeline."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from .. import geo, strict_json
from ..backoffice.fields import CoordinateField, DateField, check_position
from ..backoffice.forms import BackOfficeForm, Email, quartier_choices, translatable
from ..phones import FrenchPhone
from .models import WorksKind, WorksStatus
from .texts import KIND_LABELS, STATUS_LABELS

MAX_AREA = 100_000  # characters: a drawn outline of a few thousand points


def _count(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=100000)])


@translatable("title", "summary", "description", "nuisances", "insertion_contact")
class SiteForm(BackOfficeForm):
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
    latitude = CoordinateField(_l("Latitude"), axis="latitude")
    longitude = CoordinateField(_l("Longitude"), axis="longitude")
    area = TextAreaField(_l("Zone (géométrie GeoJSON, facultatif)"),
                         validators=[Optional(), Length(max=MAX_AREA)],
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
            first, last = self.checked(start), self.checked(end)
            if first and last and last < first:
                getattr(self, end).errors.append(_l("La fin vient avant le début."))
                ok = False
        if self.area.errors:
            return False
        if (self.area.data or "").strip():
            self.geometry = self._area_geometry()
            return ok and self.geometry is not None
        if not check_position(self.latitude, self.longitude):
            return False
        if self.latitude.data is not None:
            self.geometry = {"type": "Point",
                             "coordinates": [self.longitude.data, self.latitude.data]}
        elif not self.latitude.errors and not self.longitude.errors:
            self.latitude.errors.append(_l("Placez le chantier : cliquez sur la carte ou tapez "
                                           "sa latitude et sa longitude."))
            ok = False
        return ok

    def _area_geometry(self) -> dict | None:
        """The pasted geometry, or None with a plain message by the field."""
        try:
            geometry = strict_json.loads(self.area.data)
        except strict_json.NotFiniteNumber:
            self.area.errors.append(_l(
                "NaN et Infinity ne sont pas des nombres en GeoJSON : chaque point s’écrit avec "
                "des nombres ordinaires, par exemple [3.17, 50.69]. Copiez à nouveau la "
                "géométrie depuis l’outil de dessin."))
            return None
        except (ValueError, RecursionError):  # RecursionError: brackets nested 100,000 deep
            self.area.errors.append(_l(
                "Ce texte n’est pas du GeoJSON lisible (une accolade, un crochet ou des "
                "guillemets manquent ?). Copiez à nouveau la géométrie depuis l’outil de dessin, "
                "ou videz ce champ et placez un point."))
            return None
        try:
            geo.validate_geometry(geometry, bounds=geo.ROUBAIX_BOUNDS)
        except geo.GeometryError as exc:
            self.area.errors.append(exc.plain)
            return None
        return geometry

    @property
    def kind_value(self) -> WorksKind:
        return WorksKind(self.kind.data)

    @property
    def status_value(self) -> WorksStatus:
        return WorksStatus(self.status.data)


@translatable("text")
class UpdateForm(BackOfficeForm):
    published_on = DateField(_l("Date"), validators=[InputRequired()])
    text = TextAreaField(_l("Ce qui change"), validators=[InputRequired(), Length(max=2000)],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Ajouter à l’historique"))
