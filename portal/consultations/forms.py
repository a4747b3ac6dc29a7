"""Back-office forms of concertations: a campaign, a section, a question (French, with en/ar
translations beside it)."""

from datetime import UTC, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..backoffice.fields import DateField
from ..backoffice.forms import BackOfficeForm, CheckboxesField, quartier_choices, translatable
from ..clock import PARIS
from ..mixins import as_utc
from . import places
from .models import CountingMode, QuestionKind, ResultsVisibility

KIND_LABELS = {
    QuestionKind.YES_NO: _l("Oui / non"),
    QuestionKind.SINGLE: _l("Un seul choix"),
    QuestionKind.MULTIPLE: _l("Plusieurs choix"),
    QuestionKind.SCALE: _l("Échelle de 1 à 5"),
    QuestionKind.RANKING: _l("Classement"),
    QuestionKind.NUMBER: _l("Nombre"),
    QuestionKind.SHORT_TEXT: _l("Texte court"),
    QuestionKind.LONG_TEXT: _l("Texte long"),
    QuestionKind.PLACE: _l("Lieu du quartier"),
}
VISIBILITY_LABELS = {
    ResultsVisibility.LIVE: _l("En direct, pendant la concertation"),
    ResultsVisibility.AFTER_CLOSE: _l("Après la clôture"),
    ResultsVisibility.STAFF: _l("Équipe seulement"),
}
MODE_LABELS = {
    CountingMode.OPEN: _l("Ouverte à tous (protections anti-abus)"),
    CountingMode.CODE: _l("Une réponse par code imprimé"),
}


def _paris(day, at) -> datetime | None:
    """The instant, typed in Paris time, as UTC (SQLite would drop the offset unconverted)."""
    return datetime.combine(day, at or time(0, 0), PARIS).astimezone(UTC) if day else None


@translatable("title", "summary", "easy_read", "presentation", "outcome", "next_steps")
class CampaignForm(BackOfficeForm):
    title = StringField(_l("Titre"), validators=[InputRequired(), Length(max=200)])
    summary = StringField(_l("Résumé en une phrase"),
                          validators=[InputRequired(), Length(max=300)])
    easy_read = TextAreaField(_l("Version « facile à lire »"),
                              validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    presentation = TextAreaField(_l("Présentation (Markdown)"),
                                 validators=[Optional(), Length(max=50000)],
                                 render_kw={"rows": 10})
    outcome = TextAreaField(_l("Ce que nous avons retenu (Markdown)"),
                            validators=[Optional(), Length(max=20000)], render_kw={"rows": 6})
    next_steps = TextAreaField(_l("Ce que nous allons faire (Markdown)"),
                               validators=[Optional(), Length(max=20000)],
                               render_kw={"rows": 6})
    quartiers = CheckboxesField(_l("Quartiers concernés"), coerce=int)
    opens_on = DateField(_l("Ouverture : date"), validators=[InputRequired()])
    opens_time = TimeField(_l("Ouverture : heure (heure de Paris)"), validators=[Optional()])
    closes_on = DateField(_l("Clôture : date"), validators=[InputRequired()])
    closes_time = TimeField(_l("Clôture : heure (heure de Paris)"), validators=[Optional()])
    results_visibility = SelectField(
        _l("Résultats visibles"), choices=[(v.value, label) for v, label in
                                           VISIBILITY_LABELS.items()])
    counting_mode = SelectField(
        _l("Comptage"), choices=[(m.value, label) for m, label in MODE_LABELS.items()])
    preview = SubmitField(_l("Aperçu"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quartiers.choices = quartier_choices()

    def validate_closes_on(self, field):
        opens, closes = self.opens_at(), self.closes_at()
        if opens and closes and closes <= opens:
            raise ValidationError(_l("La clôture doit venir après l’ouverture."))

    def opens_at(self):
        return _paris(self.checked("opens_on"), self.checked("opens_time"))

    def closes_at(self):
        return _paris(self.checked("closes_on"), self.checked("closes_time") or time(23, 59))

    def fill(self, campaign) -> None:
        opens, closes = (as_utc(campaign.opens_at).astimezone(PARIS),
                         as_utc(campaign.closes_at).astimezone(PARIS))
        self.opens_on.data, self.opens_time.data = opens.date(), opens.time()
        self.closes_on.data, self.closes_time.data = closes.date(), closes.time()
        self.quartiers.data = [q.id for q in campaign.quartiers]
        self.results_visibility.data = campaign.results_visibility.value
        self.counting_mode.data = campaign.counting_mode.value


@translatable("title", "intro")
class SectionForm(BackOfficeForm):
    title = StringField(_l("Titre de la partie"), validators=[InputRequired(), Length(max=200)])
    intro = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=2000)],
                          render_kw={"rows": 2})
    submit = SubmitField(_l("Ajouter la partie"))


@translatable("label", "help_text")
class QuestionForm(BackOfficeForm):
    kind = SelectField(_l("Type de question"),
                       choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    label = StringField(_l("Question"), validators=[InputRequired(), Length(max=300)])
    help_text = StringField(_l("Aide"), validators=[Optional(), Length(max=500)])
    required = BooleanField(_l("Réponse obligatoire"))
    is_profile = BooleanField(_l("Question de profil (pour les répartitions anonymes)"))
    options = TextAreaField(
        _l("Réponses proposées, une par ligne (commencez par * la ligne « autre, précisez » ; "
           "un lieu peut finir par son point sur la carte : Nom | latitude, longitude)"),
        validators=[Optional(), Length(max=5000)], render_kw={"rows": 5})
    max_choices = IntegerField(_l("Nombre maximum de choix (plusieurs choix, classement)"),
                               validators=[Optional(), NumberRange(min=1, max=20)])
    min_label = StringField(_l("Échelle : sens de 1"), validators=[Optional(), Length(max=100)])
    max_label = StringField(_l("Échelle : sens de 5"), validators=[Optional(), Length(max=100)])
    number_min = IntegerField(_l("Nombre : minimum"), validators=[Optional()])
    number_max = IntegerField(_l("Nombre : maximum"), validators=[Optional()])
    condition = SelectField(_l("Montrer seulement si une réponse précédente est…"),
                            coerce=str)
    submit = SubmitField(_l("Enregistrer la question"))

    def __init__(self, *args, condition_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.condition.choices = [("", _l("Toujours montrer"))] + list(condition_choices)

    def kind_value(self) -> QuestionKind:
        return QuestionKind(self.kind.data)

    def _kind(self) -> QuestionKind | None:
        return QuestionKind(self.kind.data) if self.kind.data in {
            k.value for k in QuestionKind} else None

    def option_lines(self) -> list[tuple[str, bool, tuple | None]]:
        """(label, is "autre, précisez", point or None) of each line; a place's line may end
        with its point, "Nom | 50.6921, 3.1640" (places.py)."""
        place = self._kind() is QuestionKind.PLACE
        lines, seen = [], set()
        for line in (self.options.data or "").split("\n"):
            line = line.strip()
            other = line.startswith("*")
            label, point = line.lstrip("*").strip(), None
            if place:
                try:
                    label, point = places.split_point(label)
                except places.PointError:
                    point = None  # refused by validate_options
            label = label[:200]
            if label and label not in seen:
                seen.add(label)
                lines.append((label, other, point))
        return lines

    def validate_options(self, field):
        kind = self._kind()
        if kind is QuestionKind.PLACE:
            for line in (field.data or "").split("\n"):
                try:
                    places.split_point(line.lstrip("*"))
                except places.PointError:
                    raise ValidationError(_l(
                        "Écrivez le lieu puis son point, ainsi : Square Destombes | 50.6921, "
                        "3.1640 (latitude, longitude, près de Roubaix).")) from None
        if kind and kind.has_options and kind is not QuestionKind.YES_NO \
                and len(self.option_lines()) < 2:
            raise ValidationError(_l("Proposez au moins deux réponses, une par ligne."))

    def validate_number_max(self, field):
        low, high = self.checked("number_min"), field.data
        if low is not None and high is not None and high < low:
            raise ValidationError(_l("Le maximum doit être plus grand que le minimum."))

    def data_dict(self) -> dict:
        from ..backoffice.forms import translations_from

        condition = self.condition.data
        return {
            "kind": self.kind_value(), "label": self.label.data, "help_text": self.help_text.data,
            "required": self.required.data, "is_profile": self.is_profile.data,
            "options": self.option_lines(), "max_choices": self.max_choices.data,
            "min_label": self.min_label.data, "max_label": self.max_label.data,
            "number_min": self.number_min.data, "number_max": self.number_max.data,
            "condition_option_id": int(condition) if condition else None,
            "translations": translations_from(self),
        }


class CodesForm(BackOfficeForm):
    """How many printed participation codes to create (each counts one answer)."""

    nombre = IntegerField(_l("Nombre de codes"), validators=[
        InputRequired(_l("Donnez un nombre de codes entre 1 et 2000.")),
        NumberRange(1, 2000, _l("Donnez un nombre de codes entre 1 et 2000."))])
    submit = SubmitField(_l("Créer les codes"))
