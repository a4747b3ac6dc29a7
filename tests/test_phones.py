"""portal/phones.py on libphonenumber's data: Belgian and overseas numbers accepted and shown
as their country writes them, what is not a number (or not one the portal can call) refused,
numbers in a sentence linked. French forms are pinned in test_directory_validation.py."""

import pytest

from portal import phones
from portal.sanitize import linked_text


@pytest.mark.parametrize("typed, dialled, shown", [
    # Belgium: written with its country code, in Belgian groups, since only that dials it.
    ("+32 2 223 45 67", "+3222234567", "+32 2 223 45 67"),
    ("0032 2 223 45 67", "+3222234567", "+32 2 223 45 67"),
    ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
    ("+32 (0)9 222 33 44", "+3292223344", "+32 9 222 33 44"),
])
def test_belgian_numbers_are_accepted_and_shown_as_belgium_writes_them(app, typed, dialled,
                                                                       shown):
    with app.test_request_context("/"):
        assert phones.problem(typed) is None
    assert phones.phone_href(typed) == "tel:" + dialled
    assert phones.phone_display(typed) == shown


@pytest.mark.parametrize("typed, dialled, shown", [
    ("+262 262 16 12 34", "+262262161234", "0262 16 12 34"),  # Réunion
    ("0262 16 12 34", "+262262161234", "0262 16 12 34"),
    ("+262 692 12 34 56", "+262692123456", "0692 12 34 56"),
    ("0269 61 12 34", "+262269611234", "0269 61 12 34"),  # Mayotte
    ("+590 590 27 12 34", "+590590271234", "0590 27 12 34"),  # Guadeloupe
    ("0690 00 12 34", "+590690001234", "0690 00 12 34"),
    ("+594 594 10 12 34", "+594594101234", "0594 10 12 34"),  # Guyane
    ("+596 596 30 12 34", "+596596301234", "0596 30 12 34"),  # Martinique
    ("05 96 30 12 34", "+596596301234", "0596 30 12 34"),
    ("+596 696 20 12 34", "+596696201234", "0696 20 12 34"),
])
def test_overseas_numbers_are_accepted_and_shown_as_written_there(app, typed, dialled, shown):
    with app.test_request_context("/"):
        assert phones.problem(typed) is None
    assert phones.phone_href(typed) == "tel:" + dialled
    assert phones.phone_display(typed) == shown


@pytest.mark.parametrize("typed", [
    "+32 2 123 45 67",  # no Brussels number starts 21
    "+32 2 223 45",
    "02 223 45 67",  # a Belgian number without +32 is a French one with a digit missing
    "+262 262 12",
    "+596 596 12 34 56",  # not a Martinique line
    "+590 590 27 12 34 5",
    "+44 20 7946 0958",  # other countries stay refused
    "+508 41 12 34",
    "03 20 66 46 AB",  # phonenumbers would read letters as digits
    "Tél. 03 20 66 46 00",
    "59100",  # a postcode, not a short number
    "30000",  # an SMS-only code
])
def test_numbers_the_portal_cannot_call_are_refused(app, typed):
    with app.test_request_context("/"):
        assert "n’est pas valide" in phones.problem(typed)
    assert phones.phone_href(typed) is None
    assert phones.phone_display(typed) == typed


@pytest.mark.parametrize("typed", ["+32 2 223 45 67 / 03 20 66 46 00",
                                   "0262 16 12 34 ou 0692 12 34 56"])
def test_two_numbers_of_any_country_in_one_field_are_refused(app, typed):
    with app.test_request_context("/"):
        assert phones.problem(typed).startswith("Un seul numéro par champ")
    assert phones.phone_href(typed) is None


@pytest.mark.parametrize("typed", ["3949", "3919", "115", "119", "15", "17", "18", "112",
                                   "1014", "116 000", "118 218", "3237", "3646"])
def test_french_short_numbers_stay_valid(app, typed):
    with app.test_request_context("/"):
        assert phones.problem(typed) is None
    assert phones.phone_href(typed) == "tel:" + typed.replace(" ", "")


def test_numbers_in_a_sentence_are_linked_when_valid():
    html = str(linked_text("Appelez le 03 20 66 46 00, à Bruxelles le +32 2 223 45 67, "
                           "à La Réunion le 0262 16 12 34 ; pas le 07 00 00 00 00."))
    assert '<a href="tel:+33320664600">03 20 66 46 00</a>' in html
    assert '<a href="tel:+3222234567">+32 2 223 45 67</a>' in html
    assert '<a href="tel:+262262161234">0262 16 12 34</a>' in html
    assert "tel:+33700000000" not in html and "07 00 00 00 00" in html
