"""Back-office forms of the directory: a structure and a service, with the data·inclusion
vocabularies as choices (the labels residents read) and en/ar translations."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..backoffice.fields import CoordinateField, check_position
from ..backoffice.forms import BackOfficeForm, CheckboxesField, Email, translatable
from ..phones import FrenchPhone
from . import vocab
from .hours import ValidHours
from .schema import QUARTIER_NAMES


def _choices(vocabulary: dict) -> list[tuple[str, object]]:
    return list(vocabulary.items())


class PlaceFields(BackOfficeForm):
    """Address and contact, shared by structures and services (all optional in the schema)."""

    adresse = StringField(_l("Adresse"), validators=[Optional(), Length(max=255)])
    complement_adresse = StringField(_l("Complément d’adresse"),
                                     validators=[Optional(), Length(max=255)])
    code_postal = StringField(_l("Code postal"), validators=[Optional(), Regexp(
        r"^\d{5}$", message=_l("Cinq chiffres, par exemple 59100."))])
    commune = StringField(_l("Commune"), validators=[Optional(), Length(max=120)])
    latitude = CoordinateField(_l("Latitude"), axis="latitude")
    longitude = CoordinateField(_l("Longitude"), axis="longitude")
    telephone = StringField(_l("Téléphone"), validators=[Optional(), Length(max=40), FrenchPhone()])
    courriel = StringField(_l("E-mail"), validators=[Optional(), Length(max=255), Email])
    horaires_accueil = StringField(
        _l("Horaires (format OpenStreetMap)"),
        validators=[Optional(), Length(max=500), ValidHours()],
        render_kw={"dir": "ltr"})

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return check_position(self.latitude, self.longitude) and ok


@translatable("nom", "description")
class StructureForm(PlaceFields):
    nom = StringField(_l("Nom"), validators=[InputRequired(), Length(max=150)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)],
                                render_kw={"rows": 5})
    site_web = StringField(_l("Site web"), validators=[Optional(), Length(max=500)])
    accessibilite_lieu = StringField(_l("Lien vers l’accessibilité du lieu (Acceslibre)"),
                                     validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Enregistrer"))


@translatable("nom", "description", "frais_precisions", "publics_precisions",
              "conditions_acces", "mobilisation_precisions")
class ServiceForm(PlaceFields):
    structure_id = SelectField(_l("Structure"), validators=[InputRequired()])
    nom = StringField(_l("Nom du service"), validators=[InputRequired(), Length(max=150)])
    description = TextAreaField(_l("Description"), validators=[InputRequired(),
                                                                 Length(max=10000)],
                                render_kw={"rows": 5})
    type = SelectField(_l("Type de service"), choices=[("", "—"), *_choices(vocab.TYPES)],
                       validators=[Optional()])
    thematiques = SelectMultipleField(_l("Thématiques"), choices=_choices(vocab.THEMATIQUES),
                                      validators=[Optional()], render_kw={"size": 8})
    publics = CheckboxesField(_l("Publics"), choices=_choices(vocab.PUBLICS))
    publics_precisions = TextAreaField(_l("Précisions sur les publics"),
                                       validators=[Optional(), Length(max=2000)],
                                       render_kw={"rows": 2})
    frais = SelectField(_l("Frais"), choices=[("", "—"), *_choices(vocab.FRAIS)],
                        validators=[Optional()])
    frais_precisions = TextAreaField(_l("Précisions sur les frais"),
                                     validators=[Optional(), Length(max=2000)],
                                     render_kw={"rows": 2})
    conditions_acces = TextAreaField(_l("Conditions d’accès"),
                                     validators=[Optional(), Length(max=2000)],
                                     render_kw={"rows": 2})
    modes_accueil = CheckboxesField(_l("Accueil"), choices=_choices(vocab.MODES_ACCUEIL))
    modes_mobilisation = CheckboxesField(_l("Comment en bénéficier"),
                                         choices=_choices(vocab.MODES_MOBILISATION))
    mobilisable_par = CheckboxesField(_l("Qui peut faire la demande"),
                                      choices=_choices(vocab.MOBILISABLE_PAR))
    mobilisation_precisions = TextAreaField(_l("Précisions pour en bénéficier"),
                                            validators=[Optional(), Length(max=2000)],
                                            render_kw={"rows": 2})
    lien_mobilisation = StringField(_l("Lien pour faire la demande en ligne"),
                                    validators=[Optional(), Length(max=500)])
    quartiers = CheckboxesField(_l("Quartiers du programme concernés (aucun : toute la ville)"),
                                choices=list(QUARTIER_NAMES.items()))
    submit = SubmitField(_l("Enregistrer"))
