"""Form fields shared by the domains' back-office forms: images, dates in a sensible range,
coordinates near Roubaix."""

import math

import wtforms
from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms.validators import Optional, StopValidation, ValidationError
from wtforms.widgets import TextInput

from .. import geo
from ..calendar import EARLIEST_DATE, LATEST_DATE, MAX_SERIES_YEARS, date_in_range
from .uploads import UploadError, prepare_image, too_big_message


class ImageField(FileField):
    """An image upload, checked and cleaned during validation: the form keeps the cleaned
    bytes in `.prepared` (None when no file was sent) for the write operation to store."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"accept": "image/jpeg,image/png,image/webp,image/gif"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.prepared = None

    def __call__(self, **kwargs):
        # For static/js/file-size.js: a file over the limit is refused before the form is sent
        # (a request over MAX_CONTENT_LENGTH would only get the 413 page).
        kwargs.setdefault("data_max_bytes", current_app.config["UPLOAD_MAX_BYTES"])
        kwargs.setdefault("data_too_big", str(too_big_message()))
        return super().__call__(**kwargs)

    def pre_validate(self, form):
        self.prepared = None
        storage = self.data
        if storage is None or not getattr(storage, "filename", ""):
            return
        try:
            self.prepared = prepare_image(storage)
        except UploadError as exc:
            raise ValidationError(str(exc.args[0])) from None

    def ask_again(self) -> None:
        """The form comes back unsaved: a browser cannot keep a chosen file, so say plainly
        by the field that the image must be chosen again."""
        if self.prepared is not None and not self.errors:
            self.errors.append(_l("L’image choisie n’a pas été gardée (un navigateur ne "
                                  "peut pas la renvoyer) : choisissez-la de nouveau avant "
                                  "d’enregistrer."))
        self.prepared = None


# --- Dates ------------------------------------------------------------------------------
# The bounds live with the calendar (content loaders check them too); here, the form side.
def out_of_range_message():
    return _l("Choisissez une date entre %(first)s et %(last)s.",
              first=EARLIEST_DATE.year, last=LATEST_DATE.year)


def series_too_long_message():
    return _l("Une série dure au plus %(years)d ans : créez-en une nouvelle ensuite.",
              years=MAX_SERIES_YEARS)


class DateField(wtforms.DateField):
    """A date within EARLIEST_DATE..LATEST_DATE (the check every back-office date needs)."""

    def pre_validate(self, form):
        # StopValidation: no later check (the field's validators, the form's checks across
        # fields through BackOfficeForm.checked) meets a date already refused.
        if self.data is not None and not date_in_range(self.data):
            raise StopValidation(str(out_of_range_message()))


# --- Coordinates ------------------------------------------------------------------------
SOUTH_WEST, NORTH_EAST = geo.ROUBAIX_BOUNDS


class CoordinateField(wtforms.FloatField):
    """A latitude or longitude in degrees, typed with a decimal point or a French comma, in
    the Lille metropolis (geo.ROUBAIX_BOUNDS); one plain message when it is not."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, axis: str, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators or [Optional()], render_kw=render_kw, **kwargs)
        index = 0 if axis == "latitude" else 1
        self.low, self.high = SOUTH_WEST[index], NORTH_EAST[index]

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(" ", "")
        if not text:
            self.data = None
            return
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.data = None
            raise ValueError(str(_l("Tapez un nombre de degrés, par exemple %(example)s.",
                                    example=self._example())))
        self.data = value

    def pre_validate(self, form):
        if self.data is not None and not self.low <= self.data <= self.high:
            raise StopValidation(str(_l(
                "Ce point est loin de Roubaix : un nombre entre %(low)s et %(high)s est "
                "attendu (latitude et longitude inversées ?).",
                low=format_decimal(self.low), high=format_decimal(self.high))))

    def _example(self) -> str:
        return format_decimal(round((self.low + self.high) / 2, 4))


def check_position(latitude: CoordinateField, longitude: CoordinateField) -> bool:
    """Both coordinates or neither; False (with a message by the missing one) otherwise."""
    if latitude.errors or longitude.errors:
        return True  # already said
    if (latitude.data is None) == (longitude.data is None):
        return True
    missing = latitude if latitude.data is None else longitude
    missing.errors.append(_l("Donnez la latitude et la longitude, ou aucune des deux."))
    return False
