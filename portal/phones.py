"""French telephone numbers: the one check used by back-office forms and data imports, the
tap-to-call `tel:` link and the spaced form residents read ("03 20 66 46 00")."""

import re

from flask import Flask
from flask_babel import gettext as _
from wtforms.validators import ValidationError

# What people put between digits: spaces (also non-breaking ones), dots, hyphens.
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]+")
# Short numbers dialled as such in France: 15, 17, 18, 112, 115, 119, 1014, 3949, 116 000...
_SHORT = re.compile(r"1[578]|1[19]\d|10\d\d|3\d{3}|11[68]\d{3}")
# A French number as people write it in a sentence ("appelez le 03 20 66 46 00"), for
# sanitize.linked_text; phone_href then decides whether it really is one.
IN_TEXT = re.compile(r"(?:\+33[\s.]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")
# Between two numbers of one field: "03 20 .. / 06 ..", "... ou ...", "...; ...".
_BETWEEN = re.compile(r"\s*(?:[/,;&\n]|\bou\b|\bet\b)\s*", re.IGNORECASE)


def normalise(number: str | None) -> str | None:
    """The number as dialled from anywhere: '+33320664600' for a ten-digit French number,
    the digits of a short number; None when the text is not exactly one French number."""
    text = _SEPARATORS.sub("", number or "").replace("(0)", "")
    if text.startswith("0033"):
        text = "+33" + text[4:]
    if re.fullmatch(r"\+330?[1-9]\d{8}", text):
        return "+33" + text[-9:]
    if re.fullmatch(r"0[1-9]\d{8}", text):
        return "+33" + text[1:]
    if _SHORT.fullmatch(text):
        return text
    return None


def _several(number: str) -> bool:
    parts = [part for part in _BETWEEN.split(number.strip()) if part]
    if len(parts) > 1 and sum(normalise(part) is not None for part in parts) > 1:
        return True
    digits = re.sub(r"\D", "", number)  # two ten-digit numbers with only spaces between
    return len(digits) == 20 and all(normalise(half) for half in (digits[:10], digits[10:]))


def problem(number: str | None) -> str | None:
    """Why `number` cannot be stored, in the visitor's language; None when it can (or is empty)."""
    if not number or not number.strip() or normalise(number):
        return None
    if _several(number):
        return _("Un seul numéro par champ : gardez le numéro principal et écrivez l’autre "
                 "dans la description.")
    return _("Ce numéro de téléphone n’est pas valide : écrivez seulement le numéro, par "
             "exemple 03 20 66 46 00, +33 3 20 66 46 00 ou 3949.")


def phone_href(number: str | None) -> str | None:
    """'03 20 00 00 12' -> 'tel:+33320000012'; None for anything that is not one number, so
    that no page ever shows a call button that calls nothing."""
    dialled = normalise(number)
    return "tel:" + dialled if dialled else None


def phone_display(number: str | None) -> str:
    """'+33320000012' -> '03 20 00 00 12', free numbers '0 800 12 34 56', short ones as they
    are; text that is not a number is given back unchanged."""
    dialled = normalise(number)
    if dialled is None:
        return number or ""
    if not dialled.startswith("+33"):
        return dialled
    national = "0" + dialled[3:]
    if national.startswith("08"):
        return f"0 {national[1:4]} " + " ".join(national[i:i + 2] for i in range(4, 10, 2))
    return " ".join(national[i:i + 2] for i in range(0, 10, 2))


class FrenchPhone:
    """WTForms validator: one French number, or the reason next to the field."""

    def __call__(self, form, field) -> None:
        message = problem(field.data)
        if message:
            raise ValidationError(message)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(phone_href=phone_href, phone_display=phone_display)
