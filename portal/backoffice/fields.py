"""Form fields shared by the domains' back-office forms."""

from flask import current_app
from flask_wtf.file import FileField
from wtforms.validators import ValidationError

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

