"""The back-office form of a quartier's presentation."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..backoffice.forms import BackOfficeForm, translatable


@translatable("name", "summary", "body")
class QuartierForm(BackOfficeForm):
    name = StringField(_l("Nom du quartier"), validators=[InputRequired(), Length(max=80)])
    summary = TextAreaField(_l("Présentation courte"), validators=[InputRequired(),
                                                                    Length(max=1000)],
                            render_kw={"rows": 3})
    body = TextAreaField(_l("Présentation (Markdown)"), validators=[Optional(),
                                                                     Length(max=20000)],
                         render_kw={"rows": 10})
    preview = SubmitField(_l("Aperçu"))
    submit = SubmitField(_l("Enregistrer"))
