"""Telephone numbers a Roubaix resident may call: the one check used by back-office forms and
data imports, the tap-to-call `tel:` link and the form residents read ("03 20 66 46 00").

The rules are libphonenumber's (the `phonenumbers` package): French numbers, the overseas
departments that share the French plan (Réunion and Mayotte +262, Guadeloupe +590, Guyane
+594, Martinique +596), Belgian numbers (+32, across the border) and French short numbers
(3949, 115...). Each is shown as its country writes it."""

import re

import phonenumbers
from flask import Flask
from flask_babel import gettext as _
from phonenumbers import (
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
    shortnumberinfo,
)
from wtforms.validators import ValidationError

# Regions dialled from France with a leading 0, as French numbers are ("0262 12 34 56").
_FRENCH_PLAN = ("FR", "RE", "YT", "GP", "BL", "MF", "GF", "MQ")
# One region per country code, to read a national number ("0596 30 12 34"), which France's
# own data would take as metropolitan ("05 96 30 12 34").
_OVERSEAS = ("RE", "GP", "GF", "MQ")
_LINES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
          PhoneNumberType.FIXED_LINE_OR_MOBILE)
# Written with their country code ("+32 2 223 45 67"): dialled from France only that way.
_ABROAD = ("BE",)
# What people put between digits: spaces (also non-breaking ones), dots, hyphens.
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]+")
# A number as people write it in a sentence ("appelez le 03 20 66 46 00", "+32 2 223 45 67"),
# for sanitize.linked_text, which matches on escaped HTML (phonenumbers' PhoneNumberMatcher
# reads plain text); phone_href then decides, with libphonenumber, whether it really is one.
IN_TEXT = re.compile(r"(?:\+33[\s.]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b"
                     r"|\+(?:32|262|59[046])[\s.]?\d(?:[\s.-]?\d){7,8}\b")
# Between two numbers of one field: "03 20 .. / 06 ..", "... ou ...", "...; ...".
_BETWEEN = re.compile(r"\s*(?:[/,;&\n]|\bou\b|\bet\b)\s*", re.IGNORECASE)


def _parse(number: str | None) -> PhoneNumber | str | None:
    """The one number `number` is (a PhoneNumber, or the digits of a French short number),
    None when it is not exactly one number the portal accepts."""
    text = _SEPARATORS.sub("", number or "").replace("(0)", "")
    # Digits only: phonenumbers would also read letters (vanity numbers) and sentences.
    if not re.fullmatch(r"\+?\d+", text):
        return None
    if text[0] in "123456789":
        return text if _is_short_number(text) else None
    if text.startswith(("+", "00")):
        parsed = _valid(text, "FR")
        return parsed if parsed and _region(parsed) in _FRENCH_PLAN + _ABROAD else None
    # A national number: overseas when its prefix is one of an overseas department's own lines
    # (0262, 0590, 0696...), else French (0800 and 09 numbers are shared by the whole plan).
    for region in _OVERSEAS:
        parsed = _valid(text, region)
        if parsed and phonenumbers.number_type(parsed) in _LINES:
            return parsed
    parsed = _valid(text, "FR")
    return parsed if parsed and _region(parsed) == "FR" else None


def _valid(text: str, region: str) -> PhoneNumber | None:
    try:
        parsed = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def _region(parsed: PhoneNumber) -> str | None:
    return phonenumbers.region_code_for_number(parsed)


def _is_short_number(digits: str) -> bool:
    # Numbers any resident can call: not those of one operator, not SMS-only codes.
    try:
        parsed = phonenumbers.parse(digits, "FR")
    except NumberParseException:
        return False
    return (shortnumberinfo.is_valid_short_number_for_region(parsed, "FR")
            and not shortnumberinfo.is_carrier_specific_for_region(parsed, "FR")
            and not shortnumberinfo.is_sms_service_for_region(parsed, "FR"))


def normalise(number: str | None) -> str | None:
    """The number as dialled from anywhere: '+33320664600', '+262262161234', '+3222234567',
    the digits of a short number; None when the text is not exactly one accepted number."""
    parsed = _parse(number)
    if parsed is None or isinstance(parsed, str):
        return parsed
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def mobile(number: str | None) -> str | None:
    """The E.164 form of a mobile number that can receive an SMS ('06 12 34 56 78' ->
    '+33612345678'); None for a landline, a short number or anything else."""
    parsed = _parse(number)
    if parsed is None or isinstance(parsed, str):
        return None
    if phonenumbers.number_type(parsed) not in (PhoneNumberType.MOBILE,
                                                PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


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
             "exemple 03 20 66 46 00, +33 3 20 66 46 00 ou 3949 ; un numéro belge avec son "
             "indicatif, +32 2 223 45 67.")


def phone_href(number: str | None) -> str | None:
    """'03 20 00 00 12' -> 'tel:+33320000012'; None for anything that is not one number, so
    that no page ever shows a call button that calls nothing."""
    dialled = normalise(number)
    return "tel:" + dialled if dialled else None


def phone_display(number: str | None) -> str:
    """The number as its country writes it: '03 20 00 00 12', free numbers '0 800 12 34 56',
    overseas '0262 16 12 34', Belgian '+32 2 223 45 67' (dialled so from France), short
    ones as they are; text that is not a number is given back unchanged."""
    parsed = _parse(number)
    if parsed is None:
        return number or ""
    if isinstance(parsed, str):
        return parsed
    if _region(parsed) in _FRENCH_PLAN:
        return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)


class FrenchPhone:
    """WTForms validator: one number `problem` accepts, or the reason next to the field."""

    def __call__(self, form, field) -> None:
        message = problem(field.data)
        if message:
            raise ValidationError(message)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(phone_href=phone_href, phone_display=phone_display)
