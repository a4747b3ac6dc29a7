"""Forms of the back office itself (login, password, accounts) and helpers every domain's
back-office forms use: en/ar translation fields beside the French, quartier choices."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..extensions import db
from .models import Role

# A plain shape check (the reset mail proves the address works); no extra dependency.
Email = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Cette adresse e-mail n’est pas valide."))
TRANSLATION_LANGUAGES = {"en": _l("anglais"), "ar": _l("arabe")}
MIN_PASSWORD = 12


def as_text(value):
    """What a text field holds, the same whether typed or stored: browsers send a textarea's
    newlines as CRLF (stored, they would make an unchanged form look changed in the audit
    log), and a stored list (partners, dates) shows one item a line."""
    if isinstance(value, list | tuple):
        value = "\n".join(str(item) for item in value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class BackOfficeForm(FlaskForm):
    """The base of every back-office form: text fields pass through `as_text`."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField):
                filters = unbound_field.kwargs.get("filters") or ()
                options["filters"] = [as_text, *filters]
            return unbound_field.bind(form=form, **options)

    def checked(self, name: str):
        """The field's value if it passed its own checks, else None: a check across fields
        (an end after a start, a series' length) never runs on a value already refused,
        which may lie anywhere (a date in year 9999)."""
        field = self[name]
        return None if field.errors else field.data


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes: easier on a phone than a multiple <select>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def translatable(*names: str):
    """Class decorator: for each French field `name`, add `name_en` and `name_ar` of the same
    kind, optional, with the same length limit; `translated_fields` lists the names."""

    def decorate(cls):
        for name in names:
            french = getattr(cls, name)
            limits = [v for v in french.kwargs.get("validators", []) if isinstance(v, Length)]
            for lang, language in TRANSLATION_LANGUAGES.items():
                label = _l("%(field)s (%(language)s)", field=french.args[0] if french.args
                           else french.kwargs.get("label"), language=language)
                render_kw = dict(french.kwargs.get("render_kw") or {})
                render_kw.update({"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"})
                setattr(cls, f"{name}_{lang}", french.field_class(
                    label, validators=[Optional(), *limits], render_kw=render_kw,
                ))
        cls.translated_fields = tuple(names)
        return cls

    return decorate


def translations_from(form) -> dict:
    """{"en": {...}, "ar": {...}} from the form's translation fields (empty ones left out)."""
    result = {}
    for lang in TRANSLATION_LANGUAGES:
        fields = {}
        for name in form.translated_fields:
            value = (getattr(form, f"{name}_{lang}").data or "").strip()
            if value:
                fields[name] = value
        if fields:
            result[lang] = fields
    return result


def fill_translations(form, translations: dict | None) -> None:
    for lang in TRANSLATION_LANGUAGES:
        for name in form.translated_fields:
            value = ((translations or {}).get(lang) or {}).get(name)
            if value is not None:
                getattr(form, f"{name}_{lang}").data = value


def merge_translations(old: dict | None, new: dict, names) -> dict:
    """Keep translated fields the form does not edit (e.g. figures of a quartier)."""
    merged = {}
    for lang in set(old or {}) | set(new):
        kept = {k: v for k, v in ((old or {}).get(lang) or {}).items() if k not in names}
        kept.update(new.get(lang) or {})
        if kept:
            merged[lang] = kept
    return merged


def quartier_choices(user=None) -> list[tuple[int, str]]:
    """All quartiers, or only the user's own for a neighbourhood team (so that a tampered
    form naming another quartier fails validation)."""
    from ..quartiers import Quartier
    from .rules import is_team

    quartiers = db.session.scalars(db.select(Quartier).order_by(Quartier.position)).all()
    if user is not None and is_team(user):
        quartiers = [q for q in quartiers if q.id in user.quartier_ids]
    return [(q.id, q.name) for q in quartiers]


class LoginForm(BackOfficeForm):
    email = EmailField(_l("Adresse e-mail"), validators=[InputRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), validators=[InputRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Se connecter"))


class ForgotPasswordForm(BackOfficeForm):
    email = EmailField(_l("Adresse e-mail"), validators=[InputRequired(), Email,
                                                         Length(max=254)],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField(_l("Recevoir un lien"))


class NewPasswordForm(BackOfficeForm):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=200,
                                            message=_l("Au moins %(min)d caractères.",
                                                       min=MIN_PASSWORD))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Le même mot de passe, encore une fois"),
        validators=[InputRequired(), EqualTo("password", message=_l("Les deux mots de passe "
                                                                    "sont différents."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Enregistrer le mot de passe"))


ROLE_LABELS = {
    Role.ADMIN: _l("Administration (tout, y compris les comptes)"),
    Role.PROJECT: _l("Équipe projet (tous les contenus)"),
    Role.TEAM: _l("Équipe de quartier (ses quartiers seulement)"),
}


class UserForm(BackOfficeForm):
    email = EmailField(_l("Adresse e-mail"), validators=[InputRequired(), Email,
                                                         Length(max=254)])
    name = StringField(_l("Nom"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Rôle"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
                       validators=[InputRequired()])
    quartiers = CheckboxesField(_l("Quartiers (équipe de quartier)"), coerce=int)
    active = BooleanField(_l("Compte actif"), default=True)
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current  # the account being edited (None: a new one)
        self.quartiers.choices = quartier_choices()

    def validate_email(self, field):
        from .auth import find_user, normalize_email

        field.data = normalize_email(field.data)
        other = find_user(field.data)
        if other is not None and other is not self.current:
            raise ValidationError(_l("Un compte existe déjà avec cette adresse."))

    def validate_quartiers(self, field):
        if self.role.data == Role.TEAM.value and not field.data:
            raise ValidationError(_l("Une équipe de quartier a au moins un quartier."))


class ConfirmForm(BackOfficeForm):
    """An empty form: just the CSRF token, for buttons that change something."""

    submit = SubmitField(_l("Confirmer"))
