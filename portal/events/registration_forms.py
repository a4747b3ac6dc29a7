"""The residents' registration form: no account; a name or pseudonym, a mobile number or
an e-mail (at least one), how many come, needs, consent. Staff fill the same form for
someone who phoned or came by, with the channel."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from .. import phones
from ..backoffice.forms import CheckboxesField
from .models import Channel
from .texts import CHANNELS, NEEDS

MAX_PARTY = 10
Email = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Cette adresse e-mail n’est pas valide."))


class RegistrationForm(FlaskForm):
    name = StringField(_l("Prénom ou pseudonyme"), validators=[InputRequired(), Length(max=80)],
                       render_kw={"autocomplete": "given-name"})
    phone = TelField(_l("Téléphone portable"), validators=[Optional(), Length(max=40)],
                     render_kw={"autocomplete": "tel", "inputmode": "tel"})
    email = EmailField(_l("Adresse e-mail"), validators=[Optional(), Email, Length(max=254)],
                       render_kw={"autocomplete": "email"})
    people = IntegerField(_l("Combien de personnes viennent, vous compris ?"), default=1,
                          validators=[InputRequired(), NumberRange(
                              min=1, max=MAX_PARTY,
                              message=_l("Entre 1 et %(max)d personnes.", max=MAX_PARTY))],
                          render_kw={"inputmode": "numeric"})
    needs = CheckboxesField(_l("Besoins (facultatif)"), choices=list(NEEDS.items()))
    wants_news = BooleanField(_l("Je veux être prévenu quand le compte rendu est en ligne"))
    consent = BooleanField(_l("J’accepte que mes coordonnées servent à me prévenir pour ce "
                              "rendez-vous ; elles sont effacées 30 jours après."),
                           validators=[InputRequired(message=_l(
                               "Cochez cette case pour vous inscrire."))])
    submit = SubmitField(_l("M’inscrire"))

    def __init__(self, *args, places_left=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.places_left = places_left

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.phone.data and phones.problem(self.phone.data):
            self.phone.errors.append(phones.problem(self.phone.data))
            ok = False
        elif self.phone.data and self.phone.data.strip() and not phones.mobile(self.phone.data):
            self.phone.errors.append(_l("Donnez un numéro de portable (06 ou 07), qui peut "
                                        "recevoir un SMS, ou une adresse e-mail."))
            ok = False
        if not (self.phone.data or "").strip() and not (self.email.data or "").strip():
            self.phone.errors.append(_l("Donnez un numéro de portable ou une adresse e-mail, "
                                        "pour que l’équipe puisse vous prévenir."))
            ok = False
        left = self.places_left
        if (left is not None and left > 0 and not self.people.errors and self.people.data
                and self.people.data > left):
            self.people.errors.append(_l("Il reste %(num)d place(s) : inscrivez au plus "
                                         "%(num)d personne(s), ou appelez l’équipe.", num=left))
            ok = False
        return ok


class StaffRegistrationForm(RegistrationForm):
    channel = SelectField(_l("Comment la personne s’est inscrite"),
                          choices=[(c.value, label) for c, label in CHANNELS.items()],
                          default=Channel.PHONE.value, validators=[InputRequired()])
    consent = BooleanField(_l("La personne accepte que ses coordonnées servent à la prévenir "
                              "(effacées 30 jours après)"), validators=[InputRequired(
                                  message=_l("Demandez son accord à la personne."))])
    submit = SubmitField(_l("Inscrire cette personne"))
