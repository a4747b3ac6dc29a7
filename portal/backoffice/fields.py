"""Form fields shared by the domains' back-office forms."""

from flask_wtf.file import FileField
from wtforms.validators import ValidationError

from .uploads import UploadError, prepare_image


class ImageField(FileField):
    """An image upload, checked and cleaned during validation: the form keeps the cleaned
    bytes in `.prepared` (None when no file was sent) for the write operation to store."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"accept": "image/jpeg,image/png,image/webp,image/gif"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.prepared = None

    def pre_validate(self, form):
        self.prepared = None
        storage = self.data
        if storage is None or not getattr(storage, "filename", ""):
            return
        try:
            self.prepared = prepare_image(storage)
        except UploadError as exc:
            raise ValidationError(str(exc.args[0])) from None

