"""The residents' contribution form (no account, works without JavaScript: the place is
picked from a list, the map only fills the coordinates), their "Moi aussi" and "Signaler un
abus" buttons, and the moderators' forms (one contribution, or a batch from the list)."""

import re
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from .. import phones
from ..backoffice.fields import CoordinateField, ImageField
from ..backoffice.forms import BackOfficeForm, translatable
from ..extensions import db
from .models import Channel, Kind, Status
from .texts import (
    ABUSE_REASONS,
    CATEGORIES,
    CHANNELS,
    KINDS,
    PARTNERS,
    PLACES,
    STATUSES,
    near_quartier,
)

TEXT_MIN, TEXT_MAX = 10, 2000
REASON_MAX = 300
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
Email = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Cette adresse e-mail n’est pas valide."))


def _optional_int(value):
    """A select's value as an id; "" (nothing chosen) and junk stay as they are: the choice
    check refuses junk, and "" is no choice."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def new_key() -> str:
    return secrets.token_urlsafe(24)


class ContributionForm(FlaskForm):
    kind = RadioField(_l("Vous voulez"), choices=[(k.value, label) for k, label in KINDS.items()],
                      validators=[InputRequired(message=_l("Choisissez : signaler un problème "
                                                           "ou proposer une idée."))])
    category = SelectField(_l("De quoi s’agit-il ? (pour un problème)"),
                           choices=[("", _l("— Choisir —")), *CATEGORIES.items()],
                           validators=[Optional()])
    quartier = SelectField(_l("Quartier"), validators=[InputRequired(
        message=_l("Choisissez le quartier."))])
    place = SelectField(_l("Rue ou lieu"), validators=[Optional()])
    latitude = CoordinateField(_l("Latitude (si vous avez touché la carte)"), axis="latitude")
    longitude = CoordinateField(_l("Longitude (si vous avez touché la carte)"), axis="longitude")
    text = TextAreaField(_l("Votre message"), validators=[
        InputRequired(message=_l("Écrivez votre message.")),
        Length(min=TEXT_MIN, max=TEXT_MAX, message=_l(
            "Entre %(min)d et %(max)d caractères.", min=TEXT_MIN, max=TEXT_MAX))],
        render_kw={"rows": 6, "maxlength": TEXT_MAX})
    photo = ImageField(_l("Une photo (facultatif)"), render_kw={"capture": "environment"})
    phone = TelField(_l("Téléphone portable (facultatif)"), validators=[Optional(), Length(max=40)],
                     render_kw={"autocomplete": "tel", "inputmode": "tel"})
    email = EmailField(_l("Adresse e-mail (facultatif)"),
                       validators=[Optional(), Email, Length(max=254)],
                       render_kw={"autocomplete": "email"})
    consent = BooleanField(_l("J’accepte que mon numéro ou mon adresse servent à me donner "
                              "la réponse ; ils ne sont jamais publiés et sont effacés "
                              "90 jours après la clôture."))
    key = HiddenField()
    # Set once the reports of the same category nearby were shown: "Envoyer quand même".
    confirm = HiddenField()
    submit = SubmitField(_l("Envoyer"))

    def __init__(self, *args, quartiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quartier.choices = [("", _l("— Choisir —"))] + [(q.slug, q.name) for q in quartiers]
        self.place.choices = [("", _l("— Aucun (j’ai touché la carte) —"))] + [
            (key, name) for key, (_slug, name, _lat, _lon) in PLACES.items()]
        if not self.key.data or not KEY.fullmatch(self.key.data):
            self.key.data = new_key()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.kind.data == Kind.REPORT.value and not self.category.data:
            self.category.errors.append(_l("Choisissez ce qui ne va pas."))
            ok = False
        slug = self.quartier.data
        place = PLACES.get(self.place.data or "")
        if place and not self.place.errors and slug and place[0] != slug:
            self.place.errors.append(_l("Ce lieu n’est pas dans le quartier choisi."))
            ok = False
        lat, lon = self.latitude.data, self.longitude.data
        if not (self.latitude.errors or self.longitude.errors):
            if (lat is None) != (lon is None):
                self.latitude.errors.append(_l("Donnez la latitude et la longitude, ou aucune."))
                ok = False
            elif lat is not None and slug and not near_quartier(slug, lat, lon):
                self.latitude.errors.append(_l("Ce point est loin du quartier choisi."))
                ok = False
            elif lat is None and not self.place.data and not self.place.errors:
                self.place.errors.append(_l("Choisissez une rue ou un lieu, ou touchez la carte."))
                ok = False
        if self.phone.data and phones.problem(self.phone.data):
            self.phone.errors.append(phones.problem(self.phone.data))
            ok = False
        elif self.phone.data and self.phone.data.strip() and not phones.mobile(self.phone.data):
            self.phone.errors.append(_l("Donnez un numéro de portable (06 ou 07), qui peut "
                                        "recevoir un SMS, ou une adresse e-mail."))
            ok = False
        contact = (self.phone.data or "").strip() or (self.email.data or "").strip()
        if contact and not self.consent.data:
            self.consent.errors.append(_l("Cochez cette case pour être prévenu, ou laissez "
                                          "le numéro et l’adresse vides."))
            ok = False
        return ok

    def coordinates(self) -> tuple[float | None, float | None]:
        """The tapped point, else the picked place's."""
        if self.latitude.data is not None:
            return self.latitude.data, self.longitude.data
        if self.place.data:
            _slug, _name, lat, lon = PLACES[self.place.data]
            return lat, lon
        return None, None


class StaffContributionForm(ContributionForm):
    channel = SelectField(_l("Comment la personne l’a transmis"),
                          choices=[(c.value, label) for c, label in CHANNELS.items()
                                   if c is not Channel.ONLINE],
                          default=Channel.PHONE.value, validators=[InputRequired()])
    submit = SubmitField(_l("Enregistrer pour cette personne"))


class PublishForm(FlaskForm):
    text = TextAreaField(_l("Texte publié (retirez les données personnelles)"),
                         validators=[InputRequired(), Length(min=1, max=TEXT_MAX)],
                         render_kw={"rows": 6})
    submit = SubmitField(_l("Publier"))


def _reason_choices() -> list[tuple[int, str]]:
    """The active reasons, in the moderator's language (the author reads theirs)."""
    from ..i18n import localized
    from .queries import reject_reasons

    return [(r.id, str(localized(r, "text"))) for r in reject_reasons()]


def _chosen_reason(value):
    from .models import RejectReason

    return db.session.get(RejectReason, value) if isinstance(value, int) else None


class RejectForm(FlaskForm):
    reason = SelectField(_l("Raison donnée à l’auteur"), coerce=_optional_int,
                         validators=[InputRequired(message=_l("Choisissez une raison."))])
    submit = SubmitField(_l("Ne pas retenir"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = _reason_choices()

    def chosen(self):
        return _chosen_reason(self.reason.data)


@translatable("text")
class ReasonForm(BackOfficeForm):
    """A reason of "non retenue", in the words its author reads (French, then en and ar)."""

    text = TextAreaField(_l("Raison, telle que l’auteur la lit"), filters=[_stripped],
                         validators=[DataRequired(message=_l("Écrivez la raison.")),
                                     Length(max=REASON_MAX, message=_l(
                                         "%(max)d caractères au plus.", max=REASON_MAX))],
                         render_kw={"rows": 3, "maxlength": REASON_MAX})
    submit = SubmitField(_l("Enregistrer"))


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Réponse officielle (signée « l’équipe du projet »)"),
                           validators=[InputRequired(), Length(max=TEXT_MAX)],
                           render_kw={"rows": 5})
    submit = SubmitField(_l("Publier la réponse"))


class FollowUpForm(FlaskForm):
    status = SelectField(_l("Nouvel état"), choices=[
        (s.value, label) for s, label in STATUSES.items() if s is not Status.RECEIVED],
        validators=[InputRequired()])
    partner = SelectField(_l("Partenaire (si transmis)"),
                          choices=[("", _l("— Aucun —")), *PARTNERS.items()],
                          validators=[Optional()])
    note = TextAreaField(_l("Note publique (facultatif)"), validators=[Optional(),
                                                                       Length(max=TEXT_MAX)])
    submit = SubmitField(_l("Enregistrer l’étape"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.status.data == Status.TRANSMITTED.value and not self.partner.data:
            self.partner.errors.append(_l("Choisissez à qui le signalement est transmis."))
            ok = False
        return ok


class HideForm(FlaskForm):
    reason = StringField(_l("Raison"), validators=[InputRequired(), Length(max=300)])
    submit = SubmitField(_l("Masquer"))


class ResidentButtonForm(FlaskForm):
    """A resident's one-tap form on a contribution's page: the key made when the page was
    shown, so a double tap or a resend counts once."""

    key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.key.data:
            self.key.data = new_key()

    def validate_key(self, field):
        if not KEY.fullmatch(field.data or ""):
            raise ValidationError(_l("Ce formulaire a été modifié : rechargez la page."))


class SupportForm(ResidentButtonForm):
    submit = SubmitField(_l("Moi aussi"))


class AbuseForm(ResidentButtonForm):
    reason = SelectField(_l("Pourquoi signalez-vous cette contribution ?"),
                         choices=[("", _l("— Choisir —")), *ABUSE_REASONS.items()],
                         validators=[InputRequired(message=_l("Choisissez une raison."))])
    submit = SubmitField(_l("Signaler un abus"))


class DuplicateForm(FlaskForm):
    target = IntegerField(_l("Numéro de la contribution qui le signalait déjà"),
                          validators=[InputRequired(message=_l("Donnez un numéro.")),
                                      NumberRange(min=1, max=2**31 - 1, message=_l(
                                          "Donnez le numéro d’une contribution."))],
                          render_kw={"inputmode": "numeric"})
    submit = SubmitField(_l("Marquer comme doublon"))


BATCH_MAX = 50  # one page of the list


class BatchForm(FlaskForm):
    """Publish, or not retain with one reason, the contributions ticked in the list."""

    ids = SelectMultipleField(_l("Contributions choisies"), coerce=int, validate_choice=False)
    action = RadioField(_l("Pour les contributions cochées"), choices=[
        ("publish", _l("Publier")), ("reject", _l("Ne pas retenir"))],
        validators=[InputRequired(message=_l("Choisissez : publier ou ne pas retenir."))])
    reason = SelectField(_l("Raison (si non retenues)"), coerce=_optional_int,
                         validators=[Optional()])
    submit = SubmitField(_l("Appliquer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", _l("— Choisir —")), *_reason_choices()]

    def chosen(self):
        return _chosen_reason(self.reason.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.ids.errors and not self.ids.data:
            self.ids.errors.append(_l("Cochez au moins une contribution."))
            ok = False
        elif len(self.ids.data or ()) > BATCH_MAX:
            self.ids.errors.append(_l("%(max)d contributions au plus à la fois.", max=BATCH_MAX))
            ok = False
        if self.action.data == "reject" and not self.reason.data:
            self.reason.errors.append(_l("Choisissez la raison donnée aux auteurs."))
            ok = False
        return ok


class SettledForm(FlaskForm):
    """The button of the "Est-ce réglé ?" page (the link only opens it: a GET changes
    nothing): its CSRF token only. The SMS's page has two buttons, named `reponse`."""
