"""Forms of /abonnements/ (subscribe, SMS code, confirm, unsubscribe, manage a subscription)
and of the staff's notification preference."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..phones import mobile
from .models import Channel, NotifyMode, Topic

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
               message=_l("Cette adresse e-mail n’est pas valide : elle ressemble à "
                          "nom@exemple.fr."))


def topic_choices():
    return [(Topic.NEWS.value, _l("Actualités du projet")),
            (Topic.WORKS.value, _l("Chantiers et travaux")),
            (Topic.MOBILE_HOUSE.value, _l("Passages de la Maison Mobile")),
            (Topic.EVENTS.value, _l("Rendez-vous et réunions")),
            (Topic.CONSULTATIONS.value, _l("Concertations"))]


LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChoicesForm(FlaskForm):
    """What a subscriber receives: quartiers, topics, language (subscribing and managing)."""

    quartiers = Checkboxes(_l("Quartiers"), coerce=int, validators=[
        InputRequired(message=_l("Choisissez au moins un quartier."))])
    topics = Checkboxes(_l("Ce qui vous intéresse"), validators=[
        InputRequired(message=_l("Choisissez au moins un sujet."))])
    language = RadioField(_l("Langue des messages"), choices=LANGUAGE_CHOICES, default="fr")

    def __init__(self, *args, quartiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quartiers.choices = [(q.id, q.name) for q in quartiers]
        self.topics.choices = topic_choices()


class SubscribeForm(ChoicesForm):
    channel = RadioField(_l("Recevoir les nouvelles par"), default=Channel.EMAIL.value,
                         choices=[(Channel.EMAIL.value, _l("E-mail")),
                                  (Channel.SMS.value, _l("SMS"))],
                         validators=[InputRequired(message=_l("Choisissez e-mail ou SMS."))])
    # Checked by validate_email / validate_phone: only the one of the chosen channel counts.
    email = StringField(_l("Adresse e-mail"), validators=[Length(max=254)])
    phone = StringField(_l("Numéro de téléphone portable"), validators=[Length(max=30)])
    submit = SubmitField(_l("M’abonner"))

    def validate_email(self, field):
        if self.channel.data == Channel.EMAIL.value:
            if not (field.data or "").strip():
                raise ValidationError(_l("Écrivez votre adresse e-mail."))
            EMAIL(self, field)

    def validate_phone(self, field):
        if self.channel.data == Channel.SMS.value:
            if not (field.data or "").strip():
                raise ValidationError(_l("Écrivez votre numéro de portable."))
            number = mobile(field.data)
            if number is None:
                raise ValidationError(_l("Ce numéro n’est pas un numéro de portable : écrivez "
                                         "par exemple 06 12 34 56 78."))
            self.phone_e164 = number

    @property
    def address(self) -> str:
        if self.channel.data == Channel.SMS.value:
            return self.phone_e164
        return self.email.data.strip().lower()


class CodeForm(FlaskForm):
    code = StringField(_l("Code reçu par SMS (6 chiffres)"), validators=[
        InputRequired(message=_l("Écrivez le code à 6 chiffres reçu par SMS.")),
        Regexp(r"^\s*\d{6}\s*$", message=_l("Le code a 6 chiffres, par exemple 123456."))])
    submit = SubmitField(_l("Confirmer"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirmer mon abonnement"))


class UnsubscribeForm(FlaskForm):
    submit = SubmitField(_l("Me désabonner"))


class ManageForm(ChoicesForm):
    """The subscriber's own choices, from the link of a digest. `key` is the version of the
    choices the form showed, so the same form sent twice changes them once."""

    key = HiddenField(validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{1,64}$")])
    submit = SubmitField(_l("Enregistrer mes choix"))


class PreferenceForm(FlaskForm):
    mode = RadioField(_l("Être prévenu des éléments à valider"), choices=[
        (NotifyMode.IMMEDIATE.value, _l("Tout de suite, un e-mail par élément")),
        (NotifyMode.DAILY.value, _l("Une fois par jour, un résumé")),
        (NotifyMode.NEVER.value, _l("Jamais"))], validators=[InputRequired()])
    submit = SubmitField(_l("Enregistrer"))
