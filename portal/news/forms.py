"""The back-office form of a news article (French, with en/ar translations beside it)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..backoffice.fields import ImageField
from ..backoffice.forms import BackOfficeForm, CheckboxesField, quartier_choices, translatable


@translatable("title", "summary", "easy_read", "body")
class NewsForm(BackOfficeForm):
    title = StringField(_l("Titre"), validators=[InputRequired(), Length(max=200)])
    summary = StringField(_l("Résumé en une phrase"), validators=[InputRequired(),
                                                                   Length(max=300)])
    easy_read = TextAreaField(_l("Version « facile à lire »"),
                              validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    body = TextAreaField(_l("Texte (Markdown)"), validators=[Optional(), Length(max=50000)],
                         render_kw={"rows": 12})
    quartiers = CheckboxesField(_l("Quartiers concernés"), coerce=int)
    image = ImageField(_l("Fichier image"))
    image_alt = StringField(_l("Description de l’image (texte alternatif)"),
                            validators=[Length(max=300)])  # required with an image
    remove_image = BooleanField(_l("Retirer l’image actuelle"))
    preview = SubmitField(_l("Aperçu"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, has_image: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_image = has_image  # the article already has an image
        self.quartiers.choices = quartier_choices()

    def validate_image_alt(self, field):
        keeps_image = self.has_image and not self.remove_image.data
        if (self.image.prepared is not None or keeps_image) and not (field.data or "").strip():
            raise ValidationError(_l("Décrivez l’image pour les personnes qui ne la voient pas."))
